package io.chainbreaker.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainbreaker.ChainBreaker;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.NetworkSettings;
import io.chainbreaker.Setting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every setting of {@link NetworkSettings#ALL} is read from a catalog file and from the watcher's
 * flags by the one loop over the registry each has: a setting added to the registry is bound from
 * both without touching either (each is given its non-default example and read back).
 */
class SettingsFromEverySourceTest {

  /** A network that is valid on its own, with the finality watch that some settings need. */
  static Map<String, String> base(Setting<?> setting) {
    Map<String, String> base = new LinkedHashMap<>();
    base.put("chain-id", "1");
    base.put("finality-stall-after", "15m");
    base.remove(setting.kebabName());
    return base;
  }

  @Test
  void aCatalogFileBindsEverySettingOfTheRegistry() {
    StringBuilder yaml = new StringBuilder("networks:\n");
    for (Setting<?> s : NetworkSettings.ALL) {
      yaml.append("  n-").append(s.kebabName()).append(":\n");
      base(s).forEach((k, v) -> yaml.append("    ").append(k).append(": ").append(v).append('\n'));
      yaml.append("    rpc-urls: [http://127.0.0.1:1/]\n");
      yaml.append("    ").append(s.kebabName()).append(": '").append(s.example()).append("'\n");
    }
    CatalogFile file = CatalogFile.parse("catalog.yml", yaml.toString(), null);
    for (Setting<?> s : NetworkSettings.ALL) {
      NetworkConfig n = file.catalog().network("n-" + s.kebabName());
      assertThat(n).as("network of %s", s).isNotNull();
      assertThat((Object) s.read(n)).as("%s from the file", s).isEqualTo(s.parse(s.example()));
    }
  }

  @Test
  void theWatcherTakesEverySettingOfTheRegistryAsAFlag() {
    for (Setting<?> s : NetworkSettings.ALL) {
      List<String> args = new ArrayList<>(List.of("--rpc", "http://127.0.0.1:1/", "--tokens", "X"));
      base(s).forEach((k, v) -> args.addAll(List.of("--" + k, v)));
      args.addAll(List.of("--" + s.kebabName(), s.example()));
      try (ChainBreaker breaker = Watch.configure(args.toArray(new String[0])).build()) {
        NetworkConfig n = breaker.catalog().network("network");
        assertThat((Object) s.read(n)).as("%s from its flag", s).isEqualTo(s.parse(s.example()));
      }
    }
  }
}
