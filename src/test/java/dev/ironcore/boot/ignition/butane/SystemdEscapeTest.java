package dev.ironcore.boot.ignition.butane;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** BUTANE.md §6: systemd-escape --path. */
class SystemdEscapeTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "/var/lib/data|var-lib-data",
      "/var/lib/data-x|var-lib-data\\x2dx",
      "/|-",
      "//var//log/|var-log",
      "/var/.hidden|var-.hidden",
      "/.dot|\\x2edot",
      "/dev/disk/by-label/a b|dev-disk-by\\x2dlabel-a\\x20b",
      "/srv/é|srv-\\xc3\\xa9",
      "/dev/mapper/x:y_z|dev-mapper-x:y_z",
      "/a\u0001b|a\\x1b"})
  void escapes_like_systemd(String path, String escaped) {
    assertThat(SystemdEscape.path(path)).isEqualTo(escaped);
  }
}
