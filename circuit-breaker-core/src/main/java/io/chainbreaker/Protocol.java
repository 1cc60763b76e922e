package io.chainbreaker;

import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The family of a network's nodes: which API its endpoints speak and what identifies the chain they
 * serve. Every endpoint must answer with the network's {@linkplain NetworkConfig#identity()
 * identity}; one that serves another chain is {@link EndpointState#WRONG_CHAIN}.
 */
public enum Protocol {
  /** Ethereum JSON-RPC (and Klaytn, see {@link RpcNamespace}); identity: the chain id. */
  EVM("chain id", Pattern.compile("[1-9][0-9]{0,18}")),
  /**
   * Bitcoin Core JSON-RPC (Bitcoin, Litecoin, Dogecoin, Bitcoin Cash); identity: the genesis block
   * hash ({@code getblockhash 0}), 64 hex digits.
   */
  BITCOIN("genesis hash", Pattern.compile("[0-9a-f]{64}")),
  /** Solana JSON-RPC; identity: the genesis hash ({@code getGenesisHash}), base-58. */
  SOLANA("genesis hash", Pattern.compile("[1-9A-HJ-NP-Za-km-z]{32,44}")),
  /** CometBFT RPC (Cosmos SDK chains); identity: {@code node_info.network}, e.g. cosmoshub-4. */
  COMETBFT("network", Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,49}")),
  /** Tron HTTP API; identity: the genesis block id (block 0's {@code blockID}), 64 hex digits. */
  TRON("genesis block id", Pattern.compile("[0-9a-f]{64}")),
  /** Aptos REST API ({@code /v1}); identity: the chain id, e.g. 1 for mainnet. */
  APTOS("chain id", Pattern.compile("[1-9][0-9]{0,2}")),
  /**
   * Sui JSON-RPC; identity: the chain identifier ({@code sui_getChainIdentifier}), 8 hex digits.
   */
  SUI("chain identifier", Pattern.compile("[0-9a-f]{8}")),
  /**
   * TON through toncenter's HTTP API v2; identity: the zero state's root hash ({@code
   * getMasterchainInfo} {@code init.root_hash}), base64.
   */
  TON("zero-state root hash", Pattern.compile("[A-Za-z0-9+/]{43}=")),
  /**
   * XRP Ledger through rippled's JSON-RPC API; identity: the network id ({@code server_info} {@code
   * network_id}; 0, mainnet, where a server reports none).
   */
  XRPL("network id", Pattern.compile("0|[1-9][0-9]{0,9}")),
  /**
   * Starknet JSON-RPC; identity: the chain id ({@code starknet_chainId}), lower-case hex without
   * leading zeros, e.g. {@code 0x534e5f4d41494e} for mainnet.
   */
  STARKNET("chain id", Pattern.compile("0x[1-9a-f][0-9a-f]{0,63}")),
  /**
   * Substrate JSON-RPC (Polkadot, Kusama, parachains); identity: the genesis hash ({@code
   * chain_getBlockHash(0)}), {@code 0x} and 64 lower-case hex digits.
   */
  SUBSTRATE("genesis hash", Pattern.compile("0x[0-9a-f]{64}")),
  /** NEAR JSON-RPC; identity: the chain id ({@code status} {@code chain_id}), e.g. mainnet. */
  NEAR("chain id", Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}")),
  /**
   * Algorand algod REST API v2; identity: the genesis hash ({@code /versions} {@code
   * genesis_hash_b64}), base64.
   */
  ALGORAND("genesis hash", Pattern.compile("[A-Za-z0-9+/]{43}=")),
  /**
   * Stellar Horizon; identity: the network passphrase (Horizon root {@code network_passphrase}),
   * printable ASCII.
   */
  STELLAR("network passphrase", Pattern.compile("[!-~][ -~]{0,126}[!-~]")),
  /**
   * Cardano through a Blockfrost-compatible REST API; identity: the network magic ({@code /genesis}
   * {@code network_magic}), e.g. 764824073 for mainnet.
   */
  CARDANO("network magic", Pattern.compile("0|[1-9][0-9]{0,9}"));

  private final String identityName;
  private final Pattern identityForm;

  Protocol(String identityName, Pattern identityForm) {
    this.identityName = identityName;
    this.identityForm = identityForm;
  }

  /** What the identity is called in this family, e.g. {@code genesis hash}; used in messages. */
  public String identityName() {
    return identityName;
  }

  /** Whether {@code identity} has the form this family's identities have. */
  boolean accepts(String identity) {
    return identityForm.matcher(identity).matches();
  }

  /** The protocol named {@code name}, ignoring case (e.g. {@code bitcoin}). */
  public static Protocol named(String name) {
    String key = String.valueOf(name).trim().toUpperCase(Locale.ROOT);
    for (Protocol p : values()) {
      if (p.name().equals(key)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown protocol '"
            + name
            + "'; protocols: "
            + Arrays.stream(values())
                .map(p -> p.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ")));
  }
}
