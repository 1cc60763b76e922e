package io.chainbreaker.chain;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.EthBlock;

/**
 * What one poll costs the engine outside the HTTP client: writing {@code
 * eth_getBlockByNumber("latest", false)} and reading its answer (a mainnet-sized header with 150
 * transaction hashes, ~12 KB), the way the engine did it before (web3j's {@code Request} written by
 * Jackson, the answer bound to web3j's whole {@code EthBlock}) and the way it does now (the request
 * as text, the answer read as a stream keeping the four fields the rules read: {@link
 * JsonRpcAnswer}). Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is bytes per poll.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class PollBenchmark {

  private byte[] answer = new byte[0];
  private long id;

  /** A block answer as a mainnet node sends it for {@code eth_getBlockByNumber(latest, false)}. */
  public static byte[] blockAnswer(int transactions) {
    StringBuilder b = new StringBuilder(16_384);
    b.append("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{")
        .append("\"baseFeePerGas\":\"0x3b9aca00\",\"difficulty\":\"0x0\",")
        .append("\"extraData\":\"0x6265617665726275696c642e6f7267\",")
        .append("\"gasLimit\":\"0x1c9c380\",\"gasUsed\":\"0x1036640\",")
        .append("\"hash\":\"0x")
        .append("a".repeat(64))
        .append("\",")
        .append("\"logsBloom\":\"0x")
        .append("f".repeat(512))
        .append("\",")
        .append("\"miner\":\"0x95222290dd7278aa3ddd389cc1e1d165cc4bafe5\",")
        .append("\"mixHash\":\"0x")
        .append("c".repeat(64))
        .append("\",")
        .append("\"nonce\":\"0x0000000000000000\",\"number\":\"0x1312d00\",")
        .append("\"parentHash\":\"0x")
        .append("b".repeat(64))
        .append("\",")
        .append("\"receiptsRoot\":\"0x")
        .append("d".repeat(64))
        .append("\",")
        .append("\"sha3Uncles\":\"0x")
        .append("e".repeat(64))
        .append("\",")
        .append("\"size\":\"0x2a5f1\",\"stateRoot\":\"0x")
        .append("1".repeat(64))
        .append("\",")
        .append("\"timestamp\":\"0x6553f100\",\"totalDifficulty\":\"0xc70d815d562d3cfa955\",")
        .append("\"transactions\":[");
    for (int i = 0; i < transactions; i++) {
      b.append(i == 0 ? "" : ",").append("\"0x").append(String.format("%064x", i)).append('"');
    }
    b.append("],\"transactionsRoot\":\"0x")
        .append("2".repeat(64))
        .append("\",")
        .append("\"uncles\":[],\"withdrawals\":[],\"withdrawalsRoot\":\"0x")
        .append("3".repeat(64))
        .append("\"}}");
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Builds the answer. */
  @Setup
  public void setUp() {
    answer = blockAnswer(150);
  }

  /** Before: web3j's request object written by Jackson, the answer bound to {@code EthBlock}. */
  @Benchmark
  public BlockHead web3jEthBlock() throws Exception {
    Request<?, EthBlock> request =
        new Request<>(
            "eth_getBlockByNumber", List.<Object>of("latest", false), null, EthBlock.class);
    byte[] json = Web3jHeadSources.JSON.writeValueAsBytes(request);
    if (json.length == 0) {
      throw new IllegalStateException();
    }
    EthBlock.Block block = Web3jHeadSources.JSON.readValue(answer, EthBlock.class).getBlock();
    return Web3jHeadSources.header(
        Web3jHeadSources.quantity("number", block.getNumberRaw()),
        block.getHash(),
        block.getParentHash(),
        Web3jHeadSources.quantity("timestamp", block.getTimestampRaw()));
  }

  /** Now: the request as text, the answer read as a stream keeping four fields. */
  @Benchmark
  public BlockHead streaming() throws IOException, RpcException {
    id++;
    byte[] json =
        ("{\"jsonrpc\":\"2.0\",\"method\":\"eth_getBlockByNumber\",\"params\":[\"latest\",false],"
                + "\"id\":"
                + id
                + "}")
            .getBytes(StandardCharsets.UTF_8);
    if (json.length == 0) {
      throw new IllegalStateException();
    }
    JsonRpcAnswer a;
    try (JsonParser p = Web3jHeadSources.JSON.getFactory().createParser(answer)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalStateException();
      }
      a = JsonRpcAnswer.read(p);
    }
    return Web3jHeadSources.header(
        Web3jHeadSources.quantity("number", a.number),
        a.hash,
        a.parentHash,
        Web3jHeadSources.quantity("timestamp", a.timestamp));
  }
}
