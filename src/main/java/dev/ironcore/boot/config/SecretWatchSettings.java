package dev.ironcore.boot.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which namespaces the index watches (empty: all) and how many referenced Secrets it may watch at
 * once; each watched Secret holds one watch on the API server, so the count is bounded.
 */
public record SecretWatchSettings(List<String> watchNamespaces, int maxWatchedSecrets) {
  /** All namespaces; 2,000 Secrets (one Ignition and one script Secret for each of 1,000 machines). */
  public static final SecretWatchSettings DEFAULT = new SecretWatchSettings(List.of(), 2000);

  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final int MAX_WATCHED_SECRETS_CEILING = 100_000;

  public SecretWatchSettings {
    watchNamespaces = List.copyOf(watchNamespaces);
  }

  static SecretWatchSettings read(SettingReader read) {
    List<String> namespaces = read.list("boot.watch-namespaces", "");
    for (String namespace : namespaces) {
      if (!NAMESPACE.matcher(namespace).matches()) {
        throw new InvalidSettingException("boot.watch-namespaces", namespace,
            "not a namespace name (lower-case letters, digits and '-', at most 63 characters)");
      }
    }
    String max = read.string("boot.max-watched-secrets", String.valueOf(DEFAULT.maxWatchedSecrets()));
    if (!max.matches("\\d{1,6}") || Integer.parseInt(max) < 1 || Integer.parseInt(max) > MAX_WATCHED_SECRETS_CEILING) {
      throw new InvalidSettingException("boot.max-watched-secrets", max,
          "expected a whole number from 1 to " + MAX_WATCHED_SECRETS_CEILING);
    }
    return new SecretWatchSettings(namespaces.stream().distinct().toList(), Integer.parseInt(max));
  }

  /** True when every namespace is watched. */
  public boolean allNamespaces() {
    return watchNamespaces.isEmpty();
  }
}
