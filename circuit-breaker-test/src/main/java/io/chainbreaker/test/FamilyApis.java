package io.chainbreaker.test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The APIs of chain families other than EVM, as a {@link SimulatedEndpoint} serves them, each built
 * from the family's public RPC documentation, serving the chain's blocks in that family's shapes:
 *
 * <ul>
 *   <li>Bitcoin Core JSON-RPC (https://developer.bitcoin.org/reference/rpc/): {@code
 *       getbestblockhash}, {@code getblockcount}, {@code getblockhash}, {@code getblockheader},
 *       {@code getblockchaininfo};
 *   <li>CometBFT RPC (https://docs.cometbft.com/v0.38/rpc/): {@code GET /status}, {@code
 *       /block[?height=]}, {@code /block_by_hash?hash=};
 *   <li>Solana JSON-RPC (https://solana.com/docs/rpc): {@code getSlot}, {@code getBlockHeight} (at
 *       {@code finalized} commitment: the chain's finalized block, which {@link
 *       SimulatedChain#freezeFinalized()} stops), {@code getBlockTime}, {@code getGenesisHash},
 *       {@code getHealth};
 *   <li>Tron HTTP API (https://developers.tron.network/reference): {@code /wallet/getnowblock},
 *       {@code /wallet/getblockbynum}, {@code /wallet/getblockbyid};
 *   <li>Aptos REST API (https://aptos.dev/, {@code GET /v1}: ledger information);
 *   <li>Sui JSON-RPC (https://docs.sui.io/sui-api-ref): {@code
 *       sui_getLatestCheckpointSequenceNumber}, {@code sui_getCheckpoint}, {@code
 *       sui_getChainIdentifier};
 *   <li>toncenter HTTP API v2 (https://docs.ton.org/ecosystem/api/toncenter/v2/): {@code GET
 *       /getMasterchainInfo}, {@code /getBlockHeader?workchain=&shard=&seqno=};
 *   <li>rippled JSON-RPC (https://xrpl.org/docs/references/http-websocket-apis/): {@code ledger}
 *       (validated: the chain's finalized block; current: one past the head; by index or hash),
 *       {@code server_info};
 *   <li>Starknet JSON-RPC (https://github.com/starkware-libs/starknet-specs): {@code
 *       starknet_chainId}, {@code starknet_blockHashAndNumber}, {@code starknet_blockNumber},
 *       {@code starknet_getBlockWithTxHashes} (latest, l1_accepted: the finalized block, by number
 *       or hash), {@code starknet_syncing};
 *   <li>Substrate JSON-RPC (https://polkadot.js.org/docs/substrate/rpc/): {@code
 *       chain_getBlockHash}, {@code chain_getHeader}, {@code chain_getFinalizedHead}, {@code
 *       state_getStorage} (Timestamp.Now), {@code system_health}, {@code system_chain};
 *   <li>NEAR JSON-RPC (https://docs.near.org/api/rpc/introduction): {@code status}, {@code block}
 *       (finality final: the finalized block; optimistic: the head);
 *   <li>Algorand algod (https://dev.algorand.co/reference/rest-api/algod/): {@code GET /v2/status},
 *       {@code /v2/blocks/{round}}, {@code /versions};
 *   <li>Stellar Horizon (https://developers.stellar.org/docs/data/apis/horizon/): {@code GET /};
 *   <li>Blockfrost (https://docs.blockfrost.io/): {@code GET /blocks/latest}, {@code
 *       /blocks/{height or hash}}, {@code /genesis}.
 * </ul>
 */
final class FamilyApis {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

  private FamilyApis() {}

  /** A chain's identity in a family, derived from a chain id. */
  static String identity(String protocol, long chainId) {
    switch (protocol.toLowerCase(Locale.ROOT)) {
      case "evm":
      case "aptos":
        return Long.toString(chainId);
      case "bitcoin":
      case "tron":
        return digest("genesis:" + chainId);
      case "solana":
        return base58(HexFormat.of().parseHex(digest("solana-genesis:" + chainId)));
      case "cometbft":
        return "simulated-" + chainId;
      case "sui":
        return digest("sui:" + chainId).substring(0, 8);
      case "ton":
        return base64(digest("ton-zerostate:" + chainId));
      case "xrpl":
      case "cardano":
        return Long.toString(chainId);
      case "starknet":
        return "0x"
            + HexFormat.of()
                .formatHex(
                    ("SN_SIM" + chainId).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      case "substrate":
        return "0x" + digest("substrate-genesis:" + chainId);
      case "near":
        return "simulated-" + chainId;
      case "algorand":
        return base64(digest("algorand-genesis:" + chainId));
      case "stellar":
        return "Simulated Stellar Network ; chain " + chainId;
      default:
        throw new IllegalArgumentException("unknown protocol '" + protocol + "'");
    }
  }

  private static String digest(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Base-58 (Bitcoin alphabet), as Solana and Sui write hashes. */
  static String base58(byte[] bytes) {
    BigInteger n = new BigInteger(1, bytes);
    StringBuilder out = new StringBuilder();
    BigInteger radix = BigInteger.valueOf(58);
    while (n.signum() > 0) {
      BigInteger[] qr = n.divideAndRemainder(radix);
      out.append(BASE58.charAt(qr[1].intValue()));
      n = qr[0];
    }
    for (int i = 0; i < bytes.length && bytes[i] == 0; i++) {
      out.append('1');
    }
    return out.reverse().toString();
  }

  /** A hex digest as base64, as TON and Algorand write hashes. */
  static String base64(String hex) {
    return java.util.Base64.getEncoder().encodeToString(HexFormat.of().parseHex(bare(hex)));
  }

  /** A {@code 0x} hash without its prefix. */
  static String bare(String hash) {
    return hash.startsWith("0x") ? hash.substring(2) : hash;
  }

  /** A chain's hash as Sui writes a checkpoint digest. */
  static String digestOf(String hash) {
    return base58(HexFormat.of().parseHex(bare(hash)));
  }

  // ---------------------------------------------------------------- JSON-RPC families

  /**
   * The result of a Bitcoin, Solana or Sui JSON-RPC call, or null if {@code method} is none of
   * theirs. Throws {@link RpcFault} for a JSON-RPC error.
   */
  static @Nullable JsonNode call(SimulatedEndpoint.View view, String method, JsonNode params) {
    SimulatedChain chain = view.chain();
    switch (method) {
      // Bitcoin Core
      case "getbestblockhash":
        return NODES.textNode(bare(view.head().hash()));
      case "getblockcount":
        return NODES.numberNode(view.head().number());
      case "getblockhash":
        {
          long height = params.path(0).asLong(-1);
          if (height == 0) {
            return NODES.textNode(identity("bitcoin", view.chainId()));
          }
          SimulatedBlock b = view.servable(chain.block(height));
          if (b == null) {
            throw new RpcFault(-8, "Block height out of range");
          }
          return NODES.textNode(bare(b.hash()));
        }
      case "getblockheader":
        {
          SimulatedBlock b = view.servable(chain.blockByHash("0x" + params.path(0).asText("")));
          if (b == null || view.nullBlocks()) {
            throw new RpcFault(-5, "Block not found");
          }
          ObjectNode h = NODES.objectNode();
          h.put("hash", bare(b.hash()));
          h.put("confirmations", view.head().number() - b.number() + 1);
          h.put("height", b.number());
          h.put("time", b.timestamp());
          h.put("mediantime", b.timestamp());
          h.put("previousblockhash", bare(b.parentHash()));
          return h;
        }
      case "getblockchaininfo":
        {
          ObjectNode info = NODES.objectNode();
          info.put("chain", "regtest");
          info.put("blocks", view.head().number());
          info.put("headers", view.head().number() + (view.syncing() ? 1000 : 0));
          info.put("bestblockhash", bare(view.head().hash()));
          info.put("initialblockdownload", view.syncing());
          return info;
        }
      // Solana
      case "getSlot":
      case "getBlockHeight":
        {
          // commitment finalized: the root, which a frozen finality stops (SimulatedChain)
          boolean root = "finalized".equals(params.path(0).path("commitment").asText(""));
          long head = view.head().number();
          return NODES.numberNode(root ? Math.min(head, chain.finalized().number()) : head);
        }
      case "getBlockTime":
        {
          SimulatedBlock b = view.servable(chain.block(params.path(0).asLong(-1)));
          if (b == null || view.nullBlocks()) {
            throw new RpcFault(-32004, "Block not available for slot " + params.path(0).asText());
          }
          return NODES.numberNode(b.timestamp());
        }
      case "getGenesisHash":
        return NODES.textNode(identity("solana", view.chainId()));
      case "getHealth":
        if (view.syncing()) {
          throw new RpcFault(-32005, "Node is behind by 1000 slots");
        }
        return NODES.textNode("ok");
      // Sui
      case "sui_getLatestCheckpointSequenceNumber":
        return NODES.textNode(Long.toString(view.head().number()));
      case "sui_getChainIdentifier":
        return NODES.textNode(identity("sui", view.chainId()));
      case "sui_getCheckpoint":
        {
          String id = params.path(0).asText("");
          SimulatedBlock b =
              id.matches("[0-9]{1,18}")
                  ? view.servable(chain.block(Long.parseLong(id)))
                  : view.servable(chain.blockMatching(x -> digestOf(x.hash()).equals(id)));
          if (b == null || view.nullBlocks()) {
            throw new RpcFault(-32000, "Could not find the referenced checkpoint " + id);
          }
          ObjectNode c = NODES.objectNode();
          c.put("epoch", "1");
          c.put("sequenceNumber", Long.toString(b.number()));
          c.put("digest", digestOf(b.hash()));
          c.put("previousDigest", digestOf(b.parentHash()));
          c.put("timestampMs", Long.toString(b.timestamp() * 1000));
          c.set("transactions", NODES.arrayNode());
          return c;
        }
      // rippled
      case "ledger":
        return xrplLedger(view, params.path(0));
      case "server_info":
        {
          ObjectNode result = NODES.objectNode();
          ObjectNode info = result.putObject("info");
          info.put("build_version", "2.3.0");
          info.put("network_id", view.chainId());
          info.put("server_state", view.syncing() ? "syncing" : "full");
          info.putObject("validated_ledger").put("seq", view.finalized().number());
          result.put("status", "success");
          return result;
        }
      // Starknet
      case "starknet_chainId":
        return NODES.textNode(identity("starknet", view.chainId()));
      case "starknet_blockNumber":
        return NODES.numberNode(view.head().number());
      case "starknet_blockHashAndNumber":
        {
          ObjectNode r = NODES.objectNode();
          r.put("block_hash", view.head().hash());
          r.put("block_number", view.head().number());
          return r;
        }
      case "starknet_syncing":
        {
          if (!view.syncing()) {
            return NODES.booleanNode(false);
          }
          ObjectNode r = NODES.objectNode();
          r.put("starting_block_num", 0);
          r.put("current_block_num", view.head().number());
          r.put("highest_block_num", view.head().number() + 1000);
          return r;
        }
      case "starknet_getBlockWithTxHashes":
        {
          JsonNode id = params.path(0);
          SimulatedBlock b;
          if (id.isTextual()) {
            b =
                switch (id.textValue()) {
                  case "latest" -> view.head();
                  case "l1_accepted" -> view.finalized();
                  default -> null;
                };
          } else if (id.has("block_number")) {
            b = view.servable(chain.block(id.path("block_number").asLong(-1)));
          } else {
            b = view.servable(chain.blockByHash(padded(id.path("block_hash").asText(""))));
          }
          if (b == null || view.nullBlocks()) {
            throw new RpcFault(24, "Block not found");
          }
          ObjectNode r = NODES.objectNode();
          r.put(
              "status",
              b.number() <= view.finalized().number() ? "ACCEPTED_ON_L1" : "ACCEPTED_ON_L2");
          r.put("block_hash", b.hash());
          r.put("parent_hash", b.parentHash());
          r.put("block_number", b.number());
          r.put("new_root", "0x0");
          r.put("timestamp", b.timestamp());
          r.put("sequencer_address", "0x1");
          r.put("starknet_version", "0.14.0");
          r.set("transactions", NODES.arrayNode());
          return r;
        }
      // Substrate
      case "chain_getBlockHash":
        {
          if (params.path(0).isMissingNode() || params.path(0).isNull()) {
            return NODES.textNode(view.head().hash());
          }
          long n = params.path(0).asLong(-1);
          if (n == 0) {
            return NODES.textNode(identity("substrate", view.chainId()));
          }
          SimulatedBlock b = view.servable(chain.block(n));
          return b == null ? NODES.nullNode() : NODES.textNode(b.hash());
        }
      case "chain_getFinalizedHead":
        return NODES.textNode(view.finalized().hash());
      case "chain_getHeader":
        {
          SimulatedBlock b =
              params.path(0).isMissingNode() || params.path(0).isNull()
                  ? view.head()
                  : view.servable(chain.blockByHash(params.path(0).asText("")));
          if (b == null || view.nullBlocks()) {
            return NODES.nullNode();
          }
          ObjectNode h = NODES.objectNode();
          h.put("parentHash", b.parentHash());
          h.put("number", "0x" + Long.toHexString(b.number()));
          h.put("stateRoot", "0x" + "0".repeat(64));
          h.put("extrinsicsRoot", "0x" + "0".repeat(64));
          h.putObject("digest").set("logs", NODES.arrayNode());
          return h;
        }
      case "state_getStorage":
        {
          SimulatedBlock b =
              params.path(1).isMissingNode() || params.path(1).isNull()
                  ? view.head()
                  : view.servable(chain.blockByHash(params.path(1).asText("")));
          if (b == null || !params.path(0).asText("").equals(TIMESTAMP_NOW)) {
            return NODES.nullNode();
          }
          long millis = b.timestamp() * 1000;
          StringBuilder le = new StringBuilder("0x");
          for (int i = 0; i < 8; i++) {
            le.append(String.format(Locale.ROOT, "%02x", (millis >>> (8 * i)) & 0xff));
          }
          return NODES.textNode(le.toString());
        }
      case "system_health":
        {
          ObjectNode h = NODES.objectNode();
          h.put("peers", 12);
          h.put("isSyncing", view.syncing());
          h.put("shouldHavePeers", true);
          return h;
        }
      case "system_chain":
        return NODES.textNode("Simulated " + view.chainId());
      // NEAR
      case "status":
        {
          ObjectNode st = NODES.objectNode();
          st.put("chain_id", identity("near", view.chainId()));
          st.put("protocol_version", 73);
          ObjectNode sync = st.putObject("sync_info");
          SimulatedBlock head = view.head();
          sync.put("latest_block_hash", digestOf(head.hash()));
          sync.put("latest_block_height", head.number());
          sync.put("latest_state_root", digestOf(head.hash()));
          sync.put(
              "latest_block_time", Instant.ofEpochSecond(head.timestamp(), 123_456_789).toString());
          sync.put("syncing", view.syncing());
          return st;
        }
      case "block":
        {
          String finality = params.path("finality").asText("");
          SimulatedBlock b =
              finality.equals("final")
                  ? view.finalized()
                  : finality.equals("optimistic")
                      ? view.head()
                      : view.servable(chain.block(params.path("block_id").asLong(-1)));
          if (b == null || view.nullBlocks()) {
            throw new RpcFault(-32000, "Server error: DB Not Found Error: BLOCK HEIGHT");
          }
          ObjectNode block = NODES.objectNode();
          block.put("author", "simulated.poolv1.near");
          ObjectNode h = block.putObject("header");
          h.put("height", b.number());
          h.put("hash", digestOf(b.hash()));
          h.put("prev_hash", digestOf(b.parentHash()));
          h.put("timestamp", b.timestamp() * 1_000_000_000L);
          h.put("timestamp_nanosec", Long.toString(b.timestamp() * 1_000_000_000L));
          block.set("chunks", NODES.arrayNode());
          return block;
        }
      default:
        return null;
    }
  }

  /** Substrate's Timestamp.Now storage key: twox128("Timestamp") ++ twox128("Now"). */
  static final String TIMESTAMP_NOW =
      "0xf0c365c3cf59d671eb72da0e7a4113c49f1f0515f462cdcf84e0f1d6045dfcbb";

  /** A Starknet felt as the chain's {@code 0x} and 64 hex digits. */
  private static String padded(String felt) {
    String hex = bare(felt).toLowerCase(Locale.ROOT);
    return hex.length() >= 64 ? "0x" + hex : "0x" + "0".repeat(64 - hex.length()) + hex;
  }

  /**
   * rippled's {@code ledger}: validated is the chain's finalized block, current one past the head.
   */
  private static JsonNode xrplLedger(SimulatedEndpoint.View view, JsonNode request) {
    SimulatedChain chain = view.chain();
    ObjectNode result = NODES.objectNode();
    JsonNode index = request.path("ledger_index");
    SimulatedBlock b;
    boolean current = false;
    if (request.has("ledger_hash")) {
      b =
          view.servable(
              chain.blockByHash(
                  "0x" + request.path("ledger_hash").asText("").toLowerCase(Locale.ROOT)));
    } else if (index.asText("").equals("validated")) {
      b = view.finalized();
    } else if (index.asText("").equals("closed")) {
      b = view.head();
    } else if (index.asText("").equals("current")) {
      b = view.head();
      current = true;
    } else {
      b = view.servable(chain.block(index.asLong(-1)));
    }
    if (b == null || view.nullBlocks()) {
      result.put("error", "lgrNotFound");
      result.put("error_code", 21);
      result.put("error_message", "ledgerNotFound");
      result.put("status", "error");
      return result;
    }
    ObjectNode ledger = result.putObject("ledger");
    ledger.put("closed", !current);
    ledger.put("ledger_index", Long.toString(current ? b.number() + 1 : b.number()));
    if (!current) {
      ledger.put("ledger_hash", bare(b.hash()).toUpperCase(Locale.ROOT));
      ledger.put("close_time", Math.max(0, b.timestamp() - 946_684_800L));
      ledger.put("close_time_human", Instant.ofEpochSecond(b.timestamp()).toString());
    }
    ledger.put("parent_hash", bare((current ? b.hash() : b.parentHash())).toUpperCase(Locale.ROOT));
    result.put("ledger_index", current ? b.number() + 1 : b.number());
    result.put("validated", !current && b.number() <= view.finalized().number());
    result.put("status", "success");
    return result;
  }

  /** A JSON-RPC error a family's method answers with. */
  static final class RpcFault extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int code;

    RpcFault(int code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  // ---------------------------------------------------------------- REST families

  /**
   * The answer to a REST request of CometBFT, Tron or Aptos ({@code path} without the endpoint's
   * own prefix, {@code query} or null), or null if the path is none of theirs.
   */
  static @Nullable ObjectNode rest(
      SimulatedEndpoint.View view, String path, @Nullable String query, JsonNode body) {
    SimulatedChain chain = view.chain();
    ObjectNode other = restOfNewFamilies(view, path, query);
    if (other != null) {
      return other;
    }
    if (path.endsWith("/status")) {
      ObjectNode result = NODES.objectNode();
      result.putObject("node_info").put("network", identity("cometbft", view.chainId()));
      ObjectNode sync = result.putObject("sync_info");
      SimulatedBlock head = view.head();
      sync.put("latest_block_hash", bare(head.hash()).toUpperCase(Locale.ROOT));
      sync.put("latest_block_height", Long.toString(head.number()));
      sync.put("latest_block_time", Instant.ofEpochSecond(head.timestamp()).toString());
      sync.put("catching_up", view.syncing());
      return comet(result);
    }
    if (path.endsWith("/block") || path.endsWith("/block_by_hash")) {
      String arg = query == null ? "" : query.replaceFirst("^(height|hash)=", "");
      SimulatedBlock b =
          path.endsWith("/block_by_hash")
              ? view.servable(chain.blockByHash("0x" + bare(arg).toLowerCase(Locale.ROOT)))
              : arg.isEmpty() ? view.head() : view.servable(chain.block(Long.parseLong(arg)));
      if (b == null || view.nullBlocks()) {
        if (path.endsWith("/block_by_hash")) {
          ObjectNode none = NODES.objectNode();
          none.set("block_id", NODES.objectNode().put("hash", ""));
          none.set("block", NODES.nullNode());
          return comet(none);
        }
        ObjectNode error = NODES.objectNode();
        error.put("jsonrpc", "2.0");
        error.put("id", -1);
        error
            .putObject("error")
            .put("code", -32603)
            .put("message", "Internal error")
            .put(
                "data",
                "height "
                    + arg
                    + " must be less than or equal to the current"
                    + " blockchain height "
                    + view.head().number());
        return error;
      }
      ObjectNode result = NODES.objectNode();
      result.putObject("block_id").put("hash", bare(b.hash()).toUpperCase(Locale.ROOT));
      ObjectNode header = result.putObject("block").putObject("header");
      header.put("chain_id", identity("cometbft", view.chainId()));
      header.put("height", Long.toString(b.number()));
      header.put("time", Instant.ofEpochSecond(b.timestamp()).toString());
      header.putObject("last_block_id").put("hash", bare(b.parentHash()).toUpperCase(Locale.ROOT));
      return comet(result);
    }
    if (path.endsWith("/wallet/getnowblock")
        || path.endsWith("/wallet/getblockbynum")
        || path.endsWith("/wallet/getblockbyid")) {
      SimulatedBlock b;
      if (path.endsWith("/wallet/getnowblock")) {
        b = view.head();
      } else if (path.endsWith("/wallet/getblockbyid")) {
        b = view.servable(chain.blockByHash("0x" + body.path("value").asText("")));
      } else {
        long num = body.path("num").asLong(-1);
        if (num == 0) {
          ObjectNode genesis = NODES.objectNode();
          genesis.put("blockID", identity("tron", view.chainId()));
          ObjectNode raw = genesis.putObject("block_header").putObject("raw_data");
          raw.put("number", 0);
          raw.put("timestamp", 0);
          raw.put("parentHash", "0".repeat(64));
          return genesis;
        }
        b = view.servable(chain.block(num));
      }
      if (b == null || view.nullBlocks()) {
        return NODES.objectNode(); // Tron answers {} for a block it does not have
      }
      ObjectNode block = NODES.objectNode();
      block.put("blockID", bare(b.hash()));
      ObjectNode raw = block.putObject("block_header").putObject("raw_data");
      raw.put("number", b.number());
      raw.put("timestamp", b.timestamp() * 1000);
      raw.put("parentHash", bare(b.parentHash()));
      raw.put("witness_address", "41" + "0".repeat(40));
      return block;
    }
    if (path.endsWith("/v1") || path.endsWith("/v1/")) {
      SimulatedBlock head = view.head();
      ObjectNode info = NODES.objectNode();
      info.put("chain_id", view.chainId());
      info.put("epoch", "1");
      info.put("ledger_version", Long.toString(head.number() * 3));
      info.put("oldest_ledger_version", "0");
      info.put("ledger_timestamp", Long.toString(head.timestamp() * 1_000_000));
      info.put("node_role", "full_node");
      info.put("oldest_block_height", "0");
      info.put("block_height", Long.toString(head.number()));
      return info;
    }
    return null;
  }

  /** toncenter v2, algod, Horizon's root ({@code path} "/") and Blockfrost, or null. */
  private static @Nullable ObjectNode restOfNewFamilies(
      SimulatedEndpoint.View view, String path, @Nullable String query) {
    SimulatedChain chain = view.chain();
    if (path.endsWith("/getMasterchainInfo")) {
      ObjectNode info = NODES.objectNode();
      info.put("@type", "blocks.masterchainInfo");
      info.set("last", tonBlockId(view.head().number(), base64(view.head().hash())));
      info.put("state_root_hash", base64(digest("state:" + view.head().hash())));
      ObjectNode init = tonBlockId(0, identity("ton", view.chainId()));
      init.put("shard", "0");
      info.set("init", init);
      return ton(info);
    }
    if (path.endsWith("/getBlockHeader")) {
      String seqno = param(query, "seqno");
      SimulatedBlock b =
          seqno != null && seqno.matches("[0-9]{1,18}")
              ? view.servable(chain.block(Long.parseLong(seqno)))
              : null;
      if (b == null || view.nullBlocks() || !"-1".equals(param(query, "workchain"))) {
        ObjectNode error = NODES.objectNode();
        error.put("ok", false);
        error.put("error", "LITE_SERVER_NOTREADY: block is not applied");
        error.put("code", 500);
        return error;
      }
      ObjectNode h = NODES.objectNode();
      h.put("@type", "blocks.header");
      h.set("id", tonBlockId(b.number(), base64(b.hash())));
      h.put("global_id", -239);
      h.put("version", 0);
      h.put("after_merge", false);
      h.put("is_key_block", false);
      h.put("start_lt", Long.toString(b.number() * 1_000_000));
      h.put("gen_utime", b.timestamp());
      h.putArray("prev_blocks").add(tonBlockId(b.number() - 1, base64(b.parentHash())));
      return ton(h);
    }
    if (path.endsWith("/v2/status")) {
      ObjectNode st = NODES.objectNode();
      st.put("last-round", view.head().number());
      st.put("last-version", "https://github.com/algorandfoundation/specs/tree/simulated");
      st.put("next-version", "https://github.com/algorandfoundation/specs/tree/simulated");
      st.put("next-version-round", view.head().number() + 1);
      st.put("next-version-supported", true);
      st.put("time-since-last-round", 1_000_000_000L);
      st.put("catchup-time", view.syncing() ? 5_000_000_000L : 0L);
      st.put("stopped-at-unsupported-round", false);
      return st;
    }
    if (path.contains("/v2/blocks/")) {
      String round = path.substring(path.lastIndexOf('/') + 1);
      SimulatedBlock b =
          round.matches("[0-9]{1,18}") ? view.servable(chain.block(Long.parseLong(round))) : null;
      if (b == null || view.nullBlocks()) {
        return NODES.objectNode().put("message", "failed to retrieve information from the ledger");
      }
      ObjectNode block = NODES.objectNode();
      ObjectNode inner = block.putObject("block");
      inner.put("rnd", b.number());
      inner.put("ts", b.timestamp());
      inner.put("gen", "simulated-v1.0");
      inner.put("gh", identity("algorand", view.chainId()));
      inner.put("prev", "blk-" + bare(b.parentHash()).toUpperCase(Locale.ROOT));
      return block;
    }
    if (path.endsWith("/versions")) {
      ObjectNode v = NODES.objectNode();
      v.putArray("versions").add("v2");
      v.put("genesis_id", "simulated-v1.0");
      v.put("genesis_hash_b64", identity("algorand", view.chainId()));
      v.putObject("build").put("major", 4).put("minor", 0).put("build_number", 1);
      return v;
    }
    if (path.equals("/")) {
      SimulatedBlock head = view.head();
      ObjectNode root = NODES.objectNode();
      root.put("horizon_version", "23.0.0");
      root.put("core_version", "stellar-core 23.0.0");
      root.put("ingest_latest_ledger", head.number());
      root.put("history_latest_ledger", head.number());
      root.put(
          "history_latest_ledger_closed_at", Instant.ofEpochSecond(head.timestamp()).toString());
      root.put("history_elder_ledger", chain.oldest().number());
      root.put("core_latest_ledger", head.number());
      root.put("network_passphrase", identity("stellar", view.chainId()));
      root.put("current_protocol_version", 23);
      root.put("supported_protocol_version", 23);
      root.put("core_supported_protocol_version", 23);
      return root;
    }
    if (path.contains("/blocks/")) {
      String id = path.substring(path.lastIndexOf('/') + 1);
      SimulatedBlock b =
          id.equals("latest")
              ? view.head()
              : id.matches("[0-9]{1,18}")
                  ? view.servable(chain.block(Long.parseLong(id)))
                  : view.servable(chain.blockByHash("0x" + id.toLowerCase(Locale.ROOT)));
      if (b == null || view.nullBlocks()) {
        ObjectNode none = NODES.objectNode();
        none.put("status_code", 404);
        none.put("error", "Not Found");
        none.put("message", "The requested component has not been found.");
        return none;
      }
      ObjectNode block = NODES.objectNode();
      block.put("time", b.timestamp());
      block.put("height", b.number());
      block.put("hash", bare(b.hash()));
      block.put("slot", b.number() * 20);
      block.put("epoch", b.number() / 21_600);
      block.put("slot_leader", "pool1simulated");
      block.put("size", 3);
      block.put("tx_count", 0);
      block.put("previous_block", bare(b.parentHash()));
      block.putNull("next_block");
      block.put("confirmations", view.head().number() - b.number());
      return block;
    }
    if (path.endsWith("/genesis")) {
      ObjectNode g = NODES.objectNode();
      g.put("active_slots_coefficient", 0.05);
      g.put("update_quorum", 5);
      g.put("max_lovelace_supply", "45000000000000000");
      g.put("network_magic", view.chainId());
      g.put("epoch_length", 432_000);
      g.put("system_start", 1_506_203_091);
      g.put("slots_per_kes_period", 129_600);
      g.put("slot_length", 1);
      g.put("max_kes_evolutions", 62);
      g.put("security_param", 2160);
      return g;
    }
    return null;
  }

  private static ObjectNode tonBlockId(long seqno, String rootHash) {
    ObjectNode id = NODES.objectNode();
    id.put("@type", "ton.blockIdExt");
    id.put("workchain", -1);
    id.put("shard", "-9223372036854775808");
    id.put("seqno", seqno);
    id.put("root_hash", rootHash);
    id.put("file_hash", base64(digest("file:" + rootHash)));
    return id;
  }

  private static ObjectNode ton(JsonNode result) {
    ObjectNode answer = NODES.objectNode();
    answer.put("ok", true);
    answer.set("result", result);
    return answer;
  }

  /** The value of {@code name} in a raw query, or null. */
  private static @Nullable String param(@Nullable String query, String name) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&", -1)) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return java.net.URLDecoder.decode(
            pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static ObjectNode comet(JsonNode result) {
    ObjectNode answer = NODES.objectNode();
    answer.put("jsonrpc", "2.0");
    answer.put("id", -1);
    answer.set("result", result);
    return answer;
  }
}
