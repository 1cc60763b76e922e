package io.chainbreaker.chain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RpcUrlTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "https://mainnet.infura.io/v3/9aa3d95b3bc440fa88ea12eaa4456161 | https://mainnet.infura.io/v3/***",
      "https://eth-mainnet.g.alchemy.com/v2/Xyz-AbC_123dEf456gHi789 | https://eth-mainnet.g.alchemy.com/v2/***",
      "https://user:s3cret@node.example:8545/ | https://***@node.example:8545/",
      "https://api.example/rpc?apikey=K3Y&chain=1 | https://api.example/rpc?apikey=***&chain=***",
      "https://x.quiknode.pro/0123456789abcdef0123456789abcdef01234567/ | https://x.quiknode.pro/***/",
      "http://127.0.0.1:8545 | http://127.0.0.1:8545",
      "https://public-en.node.kaia.io | https://public-en.node.kaia.io"})
  void masksKeysInPathsUserInfoAndQueryValues(String url, String masked) {
    RpcUrl rpc = RpcUrl.parse(url);
    assertThat(rpc.masked()).isEqualTo(masked);
    assertThat(rpc.toString()).isEqualTo(masked);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "https://mainnet.infura.io/v3/9aa3d95b3bc440fa88ea12eaa4456161 | 9aa3d95b3bc440fa88ea12eaa4456161",
      "https://user:s3cret@node.example/ | s3cret",
      "https://api.example/rpc?apikey=K3Yvalue | K3Yvalue"})
  void redactsTheSecretFromAnyText(String url, String secret) {
    RpcUrl rpc = RpcUrl.parse(url);
    String text = "failed to connect to " + url + " (key " + secret + ")";
    assertThat(rpc.redact(text)).doesNotContain(secret).contains(rpc.masked());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "https://user:s3cret@node.example/ | user | s3cret | https://node.example/",
      "https://node.example/ | | | https://node.example/"})
  void separatesUserInfoForBasicAuthentication(String url, String user, String pass,
      String without) {
    RpcUrl rpc = RpcUrl.parse(url);
    assertThat(rpc.username()).isEqualTo(user);
    assertThat(rpc.password()).isEqualTo(pass);
    assertThat(rpc.withoutUserInfo()).isEqualTo(without);
  }
}
