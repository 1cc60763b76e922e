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
 *       sui_getChainIdentifier}.
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
      default:
        return null;
    }
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

  private static ObjectNode comet(JsonNode result) {
    ObjectNode answer = NODES.objectNode();
    answer.put("jsonrpc", "2.0");
    answer.put("id", -1);
    answer.set("result", result);
    return answer;
  }
}
