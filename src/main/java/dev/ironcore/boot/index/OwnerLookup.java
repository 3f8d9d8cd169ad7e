package dev.ironcore.boot.index;

import dev.ironcore.boot.api.metal.Server;
import dev.ironcore.boot.api.metal.ServerBootConfiguration;
import java.util.Optional;

/** What selecting among several boot configs needs to read: their owners and the owners' Server. */
public interface OwnerLookup {
  Optional<ServerBootConfiguration> serverBootConfiguration(String namespace, String name);

  Optional<Server> server(String name);
}
