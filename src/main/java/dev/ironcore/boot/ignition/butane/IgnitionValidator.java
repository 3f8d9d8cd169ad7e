package dev.ironcore.boot.ignition.butane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Step 6 of the pipeline: Ignition's validation of the generated config for the target spec. */
final class IgnitionValidator {

  private final FcosVersion version;
  private final Problems problems;
  private final ResourceRules resources;

  IgnitionValidator(FcosVersion version, SourceMap sourceMap, Report report) {
    this.version = version;
    this.problems = new Problems(sourceMap, report);
    this.resources = new ResourceRules(version, problems);
  }

  void validate(JsonNode config) {
    checkIgnition(config.path("ignition"));
    checkPasswd(config.path("passwd"));
    JsonNode storage = config.path("storage");
    checkNodes(storage);
    new StorageRules(version, problems, resources).check(storage);
    new SystemdRules(problems).check(config.path("systemd"), storage);
    checkKernelArguments(config.path("kernelArguments"));
    if (version.atLeast(FcosVersion.V1_6)) {
      PartitionLabelWarnings.check(config, problems);
    }
  }

  private void checkIgnition(JsonNode ignition) {
    JsonNode configs = ignition.path("config");
    forEach(configs, "merge", "$.ignition.config.merge", resources::check);
    if (configs.has("replace")) {
      resources.check(configs.get("replace"), "$.ignition.config.replace");
    }
    forEach(ignition.path("security").path("tls"), "certificateAuthorities",
        "$.ignition.security.tls.certificateAuthorities", resources::check);
    JsonNode proxy = ignition.path("proxy");
    for (String key : List.of("httpProxy", "httpsProxy")) {
      String url = Json.text(proxy, key);
      if (url != null && !url.isEmpty() && !url.startsWith("http://") && !url.startsWith("https://")) {
        throw problems.error(proxy, key, "$.ignition.proxy", "invalid url scheme");
      }
    }
    if (Json.text(proxy, "httpsProxy") != null && Json.text(proxy, "httpsProxy").startsWith("http://")) {
      problems.warn(proxy, "httpsProxy", "$.ignition.proxy", "insecure plaintext HTTP proxy specified for HTTPS resources");
    }
  }

  private void checkPasswd(JsonNode passwd) {
    Set<String> users = new HashSet<>();
    forEach(passwd, "users", "$.passwd.users", (user, path) -> {
      unique(users, user, "name", path);
      Set<String> keys = new HashSet<>();
      for (int i = 0; i < user.path("sshAuthorizedKeys").size(); i++) {
        if (!keys.add(user.get("sshAuthorizedKeys").get(i).asText())) {
          throw problems.error(user.get("sshAuthorizedKeys"), Integer.toString(i), path + ".sshAuthorizedKeys",
              "duplicate entry defined");
        }
      }
    });
    Set<String> groups = new HashSet<>();
    forEach(passwd, "groups", "$.passwd.groups", (group, path) -> unique(groups, group, "name", path));
  }

  /** Files, directories and links: absolute clean paths, one entry per path across the three lists. */
  private void checkNodes(JsonNode storage) {
    Set<String> paths = new HashSet<>();
    for (String list : List.of("files", "directories", "links")) {
      forEach(storage, list, "$.storage." + list, (node, path) -> {
        unique(paths, node, "path", path);
        CleanPaths.check(problems, node, "path", path);
        checkOwner(node, "user", path);
        checkOwner(node, "group", path);
        checkMode(node, path);
      });
    }
    forEach(storage, "files", "$.storage.files", this::checkFile);
    forEach(storage, "links", "$.storage.links", this::checkLink);
  }

  private void checkFile(ObjectNode file, String path) {
    JsonNode contents = file.get("contents");
    if (contents != null) {
      resources.check(contents, path + ".contents");
    }
    forEach(file, "append", path + ".append", resources::check);
    if (Json.isTrue(file, "overwrite") && Json.text(contents, "source") == null) {
      throw problems.error(file, "overwrite", path, "overwrite must be false if source is unspecified");
    }
  }

  private void checkLink(ObjectNode link, String path) {
    String target = Json.text(link, "target");
    if (target == null || target.isEmpty()) {
      throw problems.error(link, "target", path, "link target is required");
    }
    if (Json.isTrue(link, "hard") && (link.has("user") || link.has("group"))) {
      problems.warn(link, "hard", path, "user and group are ignored for hard links");
    }
  }

  private void checkMode(ObjectNode node, String path) {
    if (!node.has("mode")) {
      return;
    }
    long mode = node.get("mode").asLong();
    if (mode < 0 || mode > 07777) {
      throw problems.error(node, "mode", path, "illegal file mode");
    }
    if (looksDecimal(mode)) {
      problems.warn(node, "mode", path, "mode looks decimal, not octal (" + mode + ")");
    }
    if ((mode & 07000) != 0 && version.ignitionMinor() < 6) {
      problems.warn(node, "mode", path, "setuid/setgid/sticky bits are not supported in this spec version");
    }
  }

  /** {@code mode: 644} was meant as 0644: a decimal number whose digits read like an octal mode. */
  private static boolean looksDecimal(long mode) {
    return mode > 0777 && mode <= 07777 && Long.toString(mode).matches("[1-7][0-7]{2}");
  }

  private void checkOwner(ObjectNode node, String key, String path) {
    JsonNode owner = node.get(key);
    if (owner != null && owner.has("id") && owner.has("name") && !Json.text(owner, "name").isEmpty()) {
      throw problems.error(owner, "name", path + "." + key, "cannot set both id and name");
    }
  }

  private void checkKernelArguments(JsonNode arguments) {
    Set<String> seen = new HashSet<>();
    for (String list : List.of("shouldExist", "shouldNotExist")) {
      JsonNode values = arguments.path(list);
      for (int i = 0; i < values.size(); i++) {
        if (!seen.add(values.get(i).asText())) {
          throw problems.error(values, Integer.toString(i), "$.kernelArguments." + list, "duplicate entry defined");
        }
      }
    }
  }

  private void unique(Set<String> seen, JsonNode entry, String key, String path) {
    if (!seen.add(Json.text(entry, key) == null ? "" : Json.text(entry, key))) {
      throw problems.error(entry, key, path, "duplicate entry defined");
    }
  }

  /** Calls {@code check} with each object of the list and its output path. */
  static void forEach(JsonNode parent, String list, String path, java.util.function.BiConsumer<ObjectNode, String> check) {
    List<ObjectNode> entries = Json.objects(parent, list);
    for (int i = 0; i < entries.size(); i++) {
      check.accept(entries.get(i), path + "." + i);
    }
  }
}
