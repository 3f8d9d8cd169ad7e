package dev.ironcore.boot.index;

import static dev.ironcore.boot.testing.Fixtures.ipxeConfig;
import static dev.ironcore.boot.testing.Fixtures.ownedBy;
import static dev.ironcore.boot.testing.Fixtures.sbc;
import static dev.ironcore.boot.testing.Fixtures.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.api.metal.Server;
import dev.ironcore.boot.api.metal.ServerBootConfiguration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BootConfigSelectorTest {
  private final Map<String, ServerBootConfiguration> sbcs = new HashMap<>();
  private final Map<String, Server> servers = new HashMap<>();
  private final OwnerLookup lookup = new OwnerLookup() {
    @Override
    public Optional<ServerBootConfiguration> serverBootConfiguration(String namespace, String name) {
      return Optional.ofNullable(sbcs.get(namespace + "/" + name));
    }

    @Override
    public Optional<Server> server(String name) {
      return Optional.ofNullable(servers.get(name));
    }
  };

  private final IPXEBootConfig workload = ownedBy(config("workload"), "workload-sbc");
  private final IPXEBootConfig maintenance = ownedBy(config("maintenance"), "maintenance-sbc");
  private final IPXEBootConfig orphan = ownedBy(config("orphan"), "old-sbc");

  @Test
  void aSingleMatchIsChosenWithoutLookingAtOwners() {
    assertThat(BootConfigSelector.select(List.of(orphan), lookup)).isSameAs(orphan);
  }

  @Test
  void theWorkloadConfigWinsWhileTheServerIsNotInMaintenance() {
    givenServer("Reserved");

    assertThat(BootConfigSelector.select(List.of(maintenance, orphan, workload), lookup)).isSameAs(workload);
  }

  @Test
  void theMaintenanceConfigWinsWhileTheServerIsInMaintenance() {
    givenServer("Maintenance");

    assertThat(BootConfigSelector.select(List.of(workload, maintenance), lookup)).isSameAs(maintenance);
  }

  @Test
  void orphansAreDroppedEvenWhenTheyAreListedFirst() {
    givenServer("Maintenance");

    assertThat(BootConfigSelector.select(List.of(orphan, workload), lookup)).isSameAs(workload);
  }

  @Test
  void theServerIsFoundThroughTheFirstOwnerThatResolves() {
    // Given the first config's owner SBC no longer exists
    givenServer("Reserved");
    sbcs.remove("default/maintenance-sbc");

    assertThat(BootConfigSelector.select(List.of(maintenance, workload), lookup)).isSameAs(workload);
  }

  @Test
  void allOrphansIsAnError() {
    givenServer("Reserved");
    IPXEBootConfig otherOrphan = ownedBy(config("orphan-2"), "older-sbc");
    sbcs.put("default/old-sbc", sbc("old-sbc", "server-1"));

    assertThatThrownBy(() -> BootConfigSelector.select(List.of(orphan, otherOrphan), lookup))
        .isInstanceOf(AmbiguousBootConfigException.class)
        .hasMessageContaining("orphans");
  }

  @Test
  void configsWithoutAnyResolvableOwnerAreAnError() {
    assertThatThrownBy(() -> BootConfigSelector.select(List.of(config("a"), config("b")), lookup))
        .isInstanceOf(AmbiguousBootConfigException.class)
        .hasMessageContaining("2 boot configs");
  }

  @Test
  void theChoiceDoesNotDependOnTheOrderTheIndexReturns() {
    givenServer("Reserved");
    IPXEBootConfig secondWorkload = ownedBy(config("another-workload"), "workload-sbc");

    assertThat(BootConfigSelector.select(List.of(workload, secondWorkload), lookup))
        .isSameAs(BootConfigSelector.select(List.of(secondWorkload, workload), lookup))
        .isSameAs(secondWorkload);
  }

  private void givenServer(String state) {
    servers.put("server-1", server("server-1", "workload-sbc", "maintenance-sbc", state));
    sbcs.put("default/workload-sbc", sbc("workload-sbc", "server-1"));
    sbcs.put("default/maintenance-sbc", sbc("maintenance-sbc", "server-1"));
  }

  private static IPXEBootConfig config(String name) {
    return ipxeConfig(name, "uuid-1", "http://k", "http://i", null);
  }
}
