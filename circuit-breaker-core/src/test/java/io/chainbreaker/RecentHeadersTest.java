package io.chainbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentHeadersTest {

  @Test
  void keepsTheNewestHeightsWhateverTheOrderTheyCameIn() {
    RecentHeaders recent = new RecentHeaders(64);
    for (long h = 1000; h < 1200; h++) {
      recent.put(h, "0x" + h);
    }
    recent.put(1100, "0xold"); // an older height may not push out a newer one
    assertThat(recent.get(1199)).isEqualTo("0x1199");
    assertThat(recent.get(1136)).isEqualTo("0x1136");
    assertThat(recent.get(1135)).isNull();
    assertThat(recent.get(1100)).isNull();
    recent.put(1199, "0xfork");
    assertThat(recent.get(1199)).isEqualTo("0xfork");
  }
}
