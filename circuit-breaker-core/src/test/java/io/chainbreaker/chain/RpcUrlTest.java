package io.chainbreaker.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RpcUrlTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "https://mainnet.infura.io/v3/9aa3d95b3bc440fa88ea12eaa4456161 | https://mainnet.infura.io/v3/***",
        "https://eth-mainnet.g.alchemy.com/v2/Xyz-AbC_123dEf456gHi789 | https://eth-mainnet.g.alchemy.com/v2/***",
        "https://user:s3cret@node.example:8545/ | https://***@node.example:8545/",
        "https://api.example/rpc?apikey=K3Y&chain=1 | https://api.example/rpc?apikey=***&chain=***",
        "https://x.quiknode.pro/0123456789abcdef0123456789abcdef01234567/ | https://x.quiknode.pro/***/",
        "http://127.0.0.1:8545 | http://127.0.0.1:8545",
        "https://public-en.node.kaia.io | https://public-en.node.kaia.io",
        "https://api.avax.network/ext/bc/C/rpc | https://api.avax.network/ext/bc/C/rpc",
        "https://node.example/mainnet/V3/eth | https://node.example/mainnet/V3/eth",
        // Short keys are keys too: no segment is shown unless it is known to be public.
        "https://node.example/abcdefgh | https://node.example/***",
        "https://node.example/v3/123456 | https://node.example/v3/***",
        "https://node.example/tenant/Key-short/rpc | https://node.example/***/***/rpc"
      })
  void masksKeysInPathsUserInfoAndQueryValues(String url, String masked) {
    RpcUrl rpc = RpcUrl.parse(url);
    assertThat(rpc.masked()).isEqualTo(masked);
    assertThat(rpc.toString()).isEqualTo(masked);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "https://mainnet.infura.io/v3/9aa3d95b3bc440fa88ea12eaa4456161 | 9aa3d95b3bc440fa88ea12eaa4456161",
        "https://user:s3cret@node.example/ | s3cret",
        "https://api.example/rpc?apikey=K3Yvalue | K3Yvalue"
      })
  void redactsTheSecretFromAnyText(String url, String secret) {
    RpcUrl rpc = RpcUrl.parse(url);
    String text = "failed to connect to " + url + " (key " + secret + ")";
    assertThat(rpc.redact(text)).doesNotContain(secret).contains(rpc.masked());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // as a server may echo it: percent-decoded, percent-encoded, in another case
        "https://node.example/v3/MyS3cretKey%21abc | key MyS3cretKey!abc rejected",
        "https://node.example/v3/MyS3cretKey%21abc | KEY MYS3CRETKEY%21ABC REJECTED",
        "https://node.example/v3/MyS3cretKey!abc | path /v3/mys3cretkey%21abc not found",
        "https://node.example/?apikey=K3Yvalue | Apikey=k3yVALUE denied",
        // the user info as HTTP Basic authentication sends it, and the decoded password
        "https://alice:p%40ssw0rd@node.example/ | Authorization: Basic YWxpY2U6cEBzc3cwcmQ= refused",
        "https://alice:p%40ssw0rd@node.example/ | password p@ssw0rd refused",
        "https://alice:p%40ssw0rd@node.example/ | user ALICE:P%40SSW0RD refused"
      })
  void redactsEveryFormOfTheSecretAServerMayEcho(String url, String echoed) {
    RpcUrl rpc = RpcUrl.parse(url);
    String redacted = rpc.redact(echoed).toLowerCase(java.util.Locale.ROOT);
    assertThat(redacted)
        .contains("***")
        .doesNotContain("s3cretkey")
        .doesNotContain("k3yvalue")
        .doesNotContain("p@ssw0rd")
        .doesNotContain("p%40ssw0rd")
        .doesNotContain("ywxpy2u6cebzc3cwcmq");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "https://user:pa@ss:MALF11@host.example/key | https://***@host.example/*** | MALF11",
        "https://user:pa/ss@host.example/ | https://***/*** | pa/ss",
        "https://node.example/v3/K3Y with space | https://node.example/*** | K3Y",
        "ftp://user:s3cret@node.example/ | ftp://***@node.example/*** | s3cret",
        "node.example/v3/S3CRETKEY | node.example/*** | S3CRETKEY"
      })
  void aMalformedUrlIsMaskedAfterItsHost(String url, String mask, String secret) {
    assertThat(RpcUrl.roughMask(url)).isEqualTo("'" + mask + "'");
    assertThatThrownBy(() -> RpcUrl.parse(url))
        .isInstanceOf(IllegalArgumentException.class)
        .message()
        .doesNotContain(secret);
  }

  @Test
  void redactedTextIsOneLogLine() {
    RpcUrl rpc = RpcUrl.parse("https://node.example/v3/K3Yvalue");
    assertThat(rpc.redact("bad\r\nWARN forged \u001b[31m"))
        .isEqualTo("bad\\u000d\\u000aWARN forged \\u001b[31m");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "https://user:s3cret@node.example/ | user | s3cret | https://node.example/",
        "https://node.example/ | | | https://node.example/"
      })
  void separatesUserInfoForBasicAuthentication(
      String url, String user, String pass, String without) {
    RpcUrl rpc = RpcUrl.parse(url);
    assertThat(rpc.username()).isEqualTo(user);
    assertThat(rpc.password()).isEqualTo(pass);
    assertThat(rpc.withoutUserInfo()).isEqualTo(without);
  }
}
