package dev.ironcore.boot.secrets;

import dev.ironcore.boot.index.BootConfigIndex;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one key of a Secret in a config's namespace from the index; the value is never logged. A
 * missing Secret or key is a 404 that says what is missing in general terms (the caller may be anyone
 * on the boot network); the log line and the config's status name the Secret for the operator.
 */
public final class SecretData {
  private static final Logger LOG = LoggerFactory.getLogger(SecretData.class);

  private SecretData() {}

  /** The decoded bytes of {@code key}, or 404. */
  public static byte[] require(BootConfigIndex index, HasMetadata config, String secretName, String key, SecretUse use) {
    return requireKey(config, requireSecret(index, config, secretName, use), key, use);
  }

  /** The Secret in the config's namespace, or 404. */
  public static Secret requireSecret(BootConfigIndex index, HasMetadata config, String secretName, SecretUse use) {
    String namespace = config.getMetadata().getNamespace();
    return index.secret(namespace, secretName).orElseThrow(() -> missing(config, use,
        "Secret " + namespace + "/" + secretName + " not found", "the machine's " + use.description() + " Secret is missing"));
  }

  /** The decoded bytes of {@code key}, or 404. */
  public static byte[] requireKey(HasMetadata config, Secret secret, String key, SecretUse use) {
    return value(secret, key).orElseThrow(() -> missing(config, use, "Secret " + secret.getMetadata().getNamespace()
        + "/" + secret.getMetadata().getName() + " has no key " + key,
        "the machine's " + use.description() + " Secret has no key " + key));
  }

  private static MissingSecretException missing(HasMetadata config, SecretUse use, String forOperator,
      String forCaller) {
    LOG.warn("{} {}/{}: {} Secret: {}", config.getKind(), config.getMetadata().getNamespace(),
        config.getMetadata().getName(), use.description(), forOperator);
    return new MissingSecretException(forCaller + "; see the " + use.condition() + " condition of its boot config",
        forOperator);
  }

  /** A key from {@code data} (base64) or, as the API server would merge it, {@code stringData}. */
  public static Optional<byte[]> value(Secret secret, String key) {
    if (secret.getData() != null && secret.getData().containsKey(key)) {
      return Optional.of(Base64.getMimeDecoder().decode(secret.getData().get(key)));
    }
    if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
      return Optional.of(secret.getStringData().get(key).getBytes(StandardCharsets.UTF_8));
    }
    return Optional.empty();
  }
}
