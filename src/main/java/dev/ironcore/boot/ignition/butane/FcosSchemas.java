package dev.ironcore.boot.ignition.butane;

import static dev.ironcore.boot.ignition.butane.FcosVersion.V1_0;
import static dev.ironcore.boot.ignition.butane.FcosVersion.V1_1;
import static dev.ironcore.boot.ignition.butane.FcosVersion.V1_2;
import static dev.ironcore.boot.ignition.butane.FcosVersion.V1_3;
import static dev.ironcore.boot.ignition.butane.FcosVersion.V1_4;
import static dev.ironcore.boot.ignition.butane.FcosVersion.V1_5;
import static dev.ironcore.boot.ignition.butane.FcosVersion.V1_6;
import static dev.ironcore.boot.ignition.butane.FcosVersion.V1_7;
import static dev.ironcore.boot.ignition.butane.FieldType.Scalar.BOOL;
import static dev.ironcore.boot.ignition.butane.FieldType.Scalar.INT;
import static dev.ironcore.boot.ignition.butane.FieldType.Scalar.STRING;
import static dev.ironcore.boot.ignition.butane.FieldType.listOf;

/** The fcos Butane schema, 1.0.0 to 1.7.0: each field tagged with the version that added it. */
final class FcosSchemas {

  private static final ObjectSchema VERIFICATION = new ObjectSchema("Verification").field("hash", STRING);
  private static final ObjectSchema HTTP_HEADER =
      new ObjectSchema("HTTPHeader").requiredString("name").field("value", STRING);

  /** File contents and append: inline exists since 1.0.0. */
  static final ObjectSchema FILE_RESOURCE = resource("Resource", V1_0);
  /** Config merge/replace, TLS CAs and LUKS key files: inline only since 1.1.0. */
  static final ObjectSchema REFERENCE_RESOURCE = resource("Resource", V1_1);

  private static final ObjectSchema NODE_USER =
      new ObjectSchema("NodeUser").field("id", INT).field("name", STRING);
  private static final ObjectSchema NODE_GROUP =
      new ObjectSchema("NodeGroup").field("id", INT).field("name", STRING);
  private static final ObjectSchema TANG = new ObjectSchema("Tang")
      .requiredString("url").field("thumbprint", STRING).field("advertisement", STRING, V1_5);
  private static final ObjectSchema CEX = new ObjectSchema("Cex").field("enabled", BOOL);

  static final ObjectSchema ROOT = new ObjectSchema("Config")
      .field("variant", STRING)
      .field("version", STRING)
      .field("ignition", ignition())
      .field("passwd", passwd())
      .field("storage", storage())
      .field("systemd", systemd())
      .field("kernel_arguments", new ObjectSchema("KernelArguments")
          .field("should_exist", listOf(STRING)).field("should_not_exist", listOf(STRING)), V1_4)
      .field("boot_device", bootDevice(), V1_3)
      .field("grub", new ObjectSchema("Grub").field("users", listOf(new ObjectSchema("GrubUser")
          .field("name", STRING).field("password_hash", STRING))), V1_5);

  private FcosSchemas() {}

  private static ObjectSchema resource(String goType, FcosVersion inlineSince) {
    return new ObjectSchema(goType)
        .field("compression", STRING, inlineSince)
        .field("http_headers", listOf(HTTP_HEADER), V1_1)
        .field("source", STRING)
        .field("inline", STRING, inlineSince)
        .field("local", STRING, V1_1)
        .field("verification", VERIFICATION);
  }

  private static ObjectSchema ignition() {
    ObjectSchema source3_0 = resource("Resource", V1_1).requiredStringUpTo("source", V1_0);
    return new ObjectSchema("Ignition")
        .field("config", new ObjectSchema("IgnitionConfig")
            .field("merge", listOf(source3_0)).field("replace", source3_0))
        .field("timeouts", new ObjectSchema("Timeouts")
            .field("http_response_headers", INT).field("http_total", INT))
        .field("security", new ObjectSchema("Security").field("tls", new ObjectSchema("TLS")
            .field("certificate_authorities", listOf(source3_0))))
        .field("proxy", new ObjectSchema("Proxy").field("http_proxy", STRING)
            .field("https_proxy", STRING).field("no_proxy", listOf(STRING)), V1_1);
  }

  private static ObjectSchema passwd() {
    ObjectSchema user = new ObjectSchema("PasswdUser").requiredString("name")
        .field("password_hash", STRING).field("ssh_authorized_keys", listOf(STRING))
        .field("ssh_authorized_keys_local", listOf(STRING), V1_5).field("uid", INT)
        .field("gecos", STRING).field("home_dir", STRING).field("no_create_home", BOOL)
        .field("primary_group", STRING).field("groups", listOf(STRING)).field("no_user_group", BOOL)
        .field("no_log_init", BOOL).field("shell", STRING).field("system", BOOL)
        .field("should_exist", BOOL, V1_2);
    ObjectSchema group = new ObjectSchema("PasswdGroup").requiredString("name").field("gid", INT)
        .field("password_hash", STRING).field("system", BOOL).field("should_exist", BOOL, V1_2);
    return new ObjectSchema("Passwd").field("users", listOf(user)).field("groups", listOf(group));
  }

  private static ObjectSchema storage() {
    return new ObjectSchema("Storage")
        .field("disks", listOf(disk()))
        .field("raid", listOf(new ObjectSchema("Raid").requiredString("name").field("level", STRING)
            .field("devices", listOf(STRING)).field("spares", INT).field("options", listOf(STRING))))
        .field("filesystems", listOf(filesystem()))
        .field("files", listOf(node("File").field("contents", FILE_RESOURCE)
            .field("append", listOf(FILE_RESOURCE)).field("mode", INT)))
        .field("directories", listOf(node("Directory").field("mode", INT)))
        .field("links", listOf(node("Link").requiredStringUpTo("target", V1_0).field("hard", BOOL)))
        .field("luks", listOf(luks()), V1_2)
        .field("trees", listOf(new ObjectSchema("Tree").field("local", STRING).field("path", STRING)
            .field("file_mode", INT, V1_7).field("dir_mode", INT, V1_7)
            .field("user", NODE_USER, V1_7).field("group", NODE_GROUP, V1_7)), V1_1);
  }

  private static ObjectSchema disk() {
    ObjectSchema partition = new ObjectSchema("Partition").field("label", STRING).field("number", INT)
        .field("size_mib", INT).field("start_mib", INT).field("type_guid", STRING).field("guid", STRING)
        .field("wipe_partition_entry", BOOL).field("should_exist", BOOL).field("resize", BOOL, V1_2);
    return new ObjectSchema("Disk").requiredString("device").field("wipe_table", BOOL)
        .field("partitions", listOf(partition));
  }

  private static ObjectSchema filesystem() {
    return new ObjectSchema("Filesystem").requiredString("device").field("format", STRING)
        .field("label", STRING).field("options", listOf(STRING)).field("path", STRING)
        .field("uuid", STRING).field("wipe_filesystem", BOOL)
        .field("mount_options", listOf(STRING), V1_1).field("with_mount_unit", BOOL, V1_1);
  }

  private static ObjectSchema node(String goType) {
    return new ObjectSchema(goType).requiredString("path").field("overwrite", BOOL)
        .field("user", NODE_USER).field("group", NODE_GROUP);
  }

  private static ObjectSchema luks() {
    ObjectSchema custom = new ObjectSchema("ClevisCustom").field("config", STRING)
        .field("needs_network", BOOL).field("pin", STRING);
    ObjectSchema clevis = new ObjectSchema("Clevis").field("custom", custom)
        .field("tang", listOf(TANG)).field("threshold", INT).field("tpm2", BOOL);
    return new ObjectSchema("Luks").requiredString("name").field("device", STRING)
        .field("label", STRING).field("uuid", STRING).field("key_file", REFERENCE_RESOURCE)
        .field("wipe_volume", BOOL).field("options", listOf(STRING)).field("clevis", clevis)
        .field("discard", BOOL, V1_5).field("open_options", listOf(STRING), V1_5)
        .field("cex", CEX, V1_6);
  }

  private static ObjectSchema systemd() {
    ObjectSchema dropin = new ObjectSchema("Dropin").requiredString("name")
        .field("contents", STRING).field("contents_local", STRING, V1_5);
    ObjectSchema unit = new ObjectSchema("Unit").requiredString("name").field("enabled", BOOL)
        .field("mask", BOOL).field("contents", STRING).field("contents_local", STRING, V1_5)
        .field("dropins", listOf(dropin));
    return new ObjectSchema("Systemd").field("units", listOf(unit));
  }

  private static ObjectSchema bootDevice() {
    ObjectSchema luks = new ObjectSchema("BootDeviceLuks").field("tang", listOf(TANG))
        .field("threshold", INT).field("tpm2", BOOL).field("discard", BOOL, V1_5)
        .field("device", STRING, V1_6).field("cex", CEX, V1_6);
    return new ObjectSchema("BootDevice").field("layout", STRING).field("luks", luks)
        .field("mirror", new ObjectSchema("BootDeviceMirror").field("devices", listOf(STRING)));
  }
}
