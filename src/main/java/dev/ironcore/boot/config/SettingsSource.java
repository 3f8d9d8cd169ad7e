package dev.ironcore.boot.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Where settings come from, lowest precedence first: {@code application.properties} on the class
 * path, environment variables ({@code boot.ipxe-service-url} ← {@code BOOT_IPXE_SERVICE_URL}),
 * system properties ({@code -Dboot.ipxe-service-url=…}), then explicit overrides (tests, command line).
 */
public final class SettingsSource implements Function<String, String> {
  private final Map<String, String> fileProperties;
  private final Map<String, String> environment;
  private final Map<String, String> overrides;
  private final Set<String> asked = ConcurrentHashMap.newKeySet();

  public SettingsSource(Map<String, String> environment, Map<String, String> overrides) {
    this.fileProperties = load("application.properties");
    this.environment = environment;
    this.overrides = overrides;
  }

  @Override
  public String apply(String key) {
    asked.add(key);
    if (overrides.containsKey(key)) {
      return overrides.get(key);
    }
    String system = System.getProperty(key);
    if (system != null) {
      return system;
    }
    String env = environment.get(environmentName(key));
    return env != null ? env : fileProperties.get(key);
  }

  /** Overrides that no setting has read (once the settings are read): names no setting knows. */
  public Set<String> unreadOverrides() {
    Set<String> unread = new java.util.TreeSet<>(overrides.keySet());
    unread.removeAll(asked);
    return unread;
  }

  /** {@code boot.ipxe-service-url} → {@code BOOT_IPXE_SERVICE_URL}. */
  public static String environmentName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private static Map<String, String> load(String resource) {
    Map<String, String> values = new HashMap<>();
    try (InputStream in = SettingsSource.class.getClassLoader().getResourceAsStream(resource)) {
      if (in != null) {
        Properties properties = new Properties();
        properties.load(in);
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
    return values;
  }
}
