package dev.ironcore.boot.ignition.butane;

import static dev.ironcore.boot.ignition.butane.Butane.assertRejected;
import static dev.ironcore.boot.ignition.butane.Butane.assertTranslates;
import static dev.ironcore.boot.ignition.butane.Butane.output;
import static dev.ironcore.boot.ignition.butane.Butane.translate;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** BUTANE.md §7: boot_device mirror and LUKS layouts. */
class BootDeviceTest {

  private static final String BIOS = "21686148-6449-6E6F-744E-656564454649";
  private static final String ESP = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";
  private static final String RESERVED = "8DA63339-0007-60C0-C436-083AC8230908";
  private static final String PREP = "9E1A2D38-C612-4316-AA26-8B49521E5A8B";

  private static String bootDevice(String version, String body) {
    return "variant: fcos\nversion: " + version + "\nboot_device:\n" + body;
  }

  @Test
  void an_x86_64_mirror_partitions_each_disk_and_builds_raid() {
    assertTranslates(bootDevice("1.4.0", "  layout: x86_64\n  mirror:\n    devices: [/dev/vda, /dev/vdb]\n"), """
        {'ignition':{'version':'3.3.0'},'storage':{
          'disks':[
            {'device':'/dev/vda','wipeTable':true,'partitions':[
              {'label':'bios-1','sizeMiB':1,'typeGuid':'%1$s'},{'label':'esp-1','sizeMiB':127,'typeGuid':'%2$s'},
              {'label':'boot-1','sizeMiB':384},{'label':'root-1'}]},
            {'device':'/dev/vdb','wipeTable':true,'partitions':[
              {'label':'bios-2','sizeMiB':1,'typeGuid':'%1$s'},{'label':'esp-2','sizeMiB':127,'typeGuid':'%2$s'},
              {'label':'boot-2','sizeMiB':384},{'label':'root-2'}]}],
          'raid':[
            {'name':'md-boot','level':'raid1','devices':['/dev/disk/by-partlabel/boot-1','/dev/disk/by-partlabel/boot-2'],
             'options':['--metadata=1.0']},
            {'name':'md-root','level':'raid1','devices':['/dev/disk/by-partlabel/root-1','/dev/disk/by-partlabel/root-2']}],
          'filesystems':[
            {'device':'/dev/disk/by-partlabel/esp-1','format':'vfat','label':'esp-1','wipeFilesystem':true},
            {'device':'/dev/disk/by-partlabel/esp-2','format':'vfat','label':'esp-2','wipeFilesystem':true},
            {'device':'/dev/md/md-boot','format':'ext4','label':'boot','wipeFilesystem':true},
            {'device':'/dev/md/md-root','format':'xfs','label':'root','wipeFilesystem':true}]}}"""
        .formatted(BIOS, ESP));
  }

  @Test
  void an_aarch64_mirror_has_a_reserved_partition_and_an_esp() {
    JsonNode storage = output(bootDevice("1.4.0", "  layout: aarch64\n  mirror:\n    devices: [/dev/vda, /dev/vdb, /dev/vdc]\n"))
        .get("storage");
    assertThat(storage.at("/disks/2/partitions")).isEqualTo(Butane.json("""
        [{'label':'reserved-3','sizeMiB':1,'typeGuid':'%s'},{'label':'esp-3','sizeMiB':127,'typeGuid':'%s'},
         {'label':'boot-3','sizeMiB':384},{'label':'root-3'}]""".formatted(RESERVED, ESP)));
    assertThat(storage.get("filesystems")).hasSize(5);
  }

  @Test
  void a_ppc64le_mirror_has_prep_and_reserved_partitions_and_no_esp() {
    JsonNode storage = output(bootDevice("1.4.0", "  layout: ppc64le\n  mirror:\n    devices: [/dev/sda, /dev/sdb]\n"))
        .get("storage");
    assertThat(storage.at("/disks/0/partitions")).isEqualTo(Butane.json("""
        [{'label':'prep-1','sizeMiB':4,'typeGuid':'%s'},{'label':'reserved-1','sizeMiB':1,'typeGuid':'%s'},
         {'label':'boot-1','sizeMiB':384},{'label':'root-1'}]""".formatted(PREP, RESERVED)));
    assertThat(storage.get("filesystems")).isEqualTo(Butane.json("""
        [{'device':'/dev/md/md-boot','format':'ext4','label':'boot','wipeFilesystem':true},
         {'device':'/dev/md/md-root','format':'xfs','label':'root','wipeFilesystem':true}]"""));
  }

  @Test
  void tpm2_encrypts_the_root_partition() {
    assertTranslates(bootDevice("1.3.0", "  luks:\n    tpm2: true\n"), """
        {'ignition':{'version':'3.2.0'},'storage':{
          'luks':[{'name':'root','label':'luks-root','wipeVolume':true,'device':'/dev/disk/by-partlabel/root',
                   'clevis':{'tpm2':true}}],
          'filesystems':[{'device':'/dev/mapper/root','format':'xfs','label':'root','wipeFilesystem':true}]}}""");
  }

  @Test
  void tang_threshold_and_discard_are_copied_and_mirrored_luks_uses_md_root() {
    JsonNode storage = output(bootDevice("1.5.0", """
          layout: x86_64
          luks:
            discard: true
            threshold: 2
            tpm2: true
            tang:
              - url: https://tang.example.com
                thumbprint: REPLACE
                advertisement: '{"payload": "x"}'
          mirror:
            devices: [/dev/vda, /dev/vdb]
        """)).get("storage");
    assertThat(storage.get("luks")).isEqualTo(Butane.json("""
        [{'name':'root','label':'luks-root','wipeVolume':true,'device':'/dev/md/md-root','discard':true,
          'clevis':{'threshold':2,'tpm2':true,'tang':[{'url':'https://tang.example.com','thumbprint':'REPLACE',
            'advertisement':'{\\"payload\\": \\"x\\"}'}]}}]"""));
    assertThat(storage.at("/filesystems/3")).isEqualTo(Butane.json(
        "{'device':'/dev/mapper/root','format':'xfs','label':'root','wipeFilesystem':true}"));
  }

  @Test
  void s390x_eckd_and_zfcp_use_partitions_of_the_luks_device() {
    assertThat(output(bootDevice("1.6.0", "  layout: s390x-eckd\n  luks:\n    device: /dev/dasda\n    tpm2: true\n"))
        .at("/storage/luks/0/device").asText()).isEqualTo("/dev/dasda2");
    assertThat(output(bootDevice("1.6.0", "  layout: s390x-zfcp\n  luks:\n    device: /dev/sdb\n    tpm2: true\n"))
        .at("/storage/luks/0/device").asText()).isEqualTo("/dev/sdb4");
    assertThat(output(bootDevice("1.6.0", "  layout: s390x-virt\n  luks:\n    tpm2: true\n"))
        .at("/storage/luks/0/device").asText()).isEqualTo("/dev/disk/by-partlabel/root");
  }

  @Test
  void cex_replaces_clevis_on_s390x() {
    assertThat(output(bootDevice("1.6.0", "  layout: s390x-eckd\n  luks:\n    device: /dev/dasdb\n    cex:\n"
        + "      enabled: true\n")).at("/storage/luks/0")).isEqualTo(Butane.json("""
        {'name':'root','label':'luks-root','wipeVolume':true,'device':'/dev/dasdb2','cex':{'enabled':true}}"""));
  }

  @Test
  void nothing_is_generated_without_tpm2_tang_cex_or_mirror() {
    assertTranslates(bootDevice("1.4.0", "  layout: aarch64\n  luks:\n    tpm2: false\n"),
        "{'ignition':{'version':'3.3.0'}}");
  }

  @Test
  void a_single_mirror_device_is_rejected() {
    assertRejected(bootDevice("1.4.0", "  layout: x86_64\n  mirror:\n    devices: [/dev/vda]\n"))
        .hasMessageContaining("$.boot_device.mirror.devices").hasMessageContaining("at least two devices");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.3.0", "1.4.0", "1.5.0", "1.6.0"})
  void a_mirror_without_layout_warns_before_1_7_0(String version) {
    Translation translation = translate(bootDevice(version, "  mirror:\n    devices: [/dev/vda, /dev/vdb]\n"));
    assertThat(translation.warnings()).anyMatch(w -> w.contains("layout should be specified"));
    assertThat(Butane.json(translation.ignitionJson()).at("/storage/disks/0/partitions/0/label").asText())
        .isEqualTo("bios-1");
  }

  @Test
  void a_mirror_without_layout_is_an_error_in_1_7_0() {
    assertRejected(bootDevice("1.7.0", "  mirror:\n    devices: [/dev/vda, /dev/vdb]\n"))
        .hasMessageContaining("$.boot_device.mirror").hasMessageContaining("layout should be specified");
  }

  @Test
  void an_unknown_layout_is_rejected() {
    assertRejected(bootDevice("1.4.0", "  layout: riscv64\n  luks:\n    tpm2: true\n"))
        .hasMessageContaining("$.boot_device.layout, line 4 column 11").hasMessageContaining("layout must be one of");
  }

  @Test
  void s390x_layouts_only_exist_from_1_6_0() {
    assertRejected(bootDevice("1.5.0", "  layout: s390x-virt\n  luks:\n    tpm2: true\n"))
        .hasMessageContaining("layout must be one of");
  }

  @Test
  void mirroring_on_s390x_is_rejected() {
    assertRejected(bootDevice("1.6.0", "  layout: s390x-virt\n  mirror:\n    devices: [/dev/vda, /dev/vdb]\n"))
        .hasMessageContaining("mirroring is not supported on s390x");
  }

  @Test
  void eckd_and_zfcp_need_a_matching_luks_device() {
    assertRejected(bootDevice("1.6.0", "  layout: s390x-eckd\n  luks:\n    tpm2: true\n"))
        .hasMessageContaining("$.boot_device.luks.device");
    assertRejected(bootDevice("1.6.0", "  layout: s390x-eckd\n  luks:\n    tpm2: true\n    device: /dev/sda\n"))
        .hasMessageContaining("/dev/dasd");
    assertRejected(bootDevice("1.6.0", "  layout: s390x-zfcp\n  luks:\n    tpm2: true\n    device: /dev/dasda\n"))
        .hasMessageContaining("/dev/sd");
  }

  @Test
  void cex_needs_s390x_and_excludes_tang_and_tpm2() {
    assertRejected(bootDevice("1.6.0", "  luks:\n    cex:\n      enabled: true\n"))
        .hasMessageContaining("$.boot_device.luks.cex").hasMessageContaining("only supported on s390x");
    assertRejected(bootDevice("1.6.0", "  layout: s390x-virt\n  luks:\n    tpm2: true\n    cex:\n      enabled: true\n"))
        .hasMessageContaining("cannot be used together with tang or tpm2");
  }

  @Test
  void a_luks_device_without_tpm2_tang_or_cex_is_an_error_in_1_7_0() {
    assertRejected(bootDevice("1.7.0", "  layout: s390x-eckd\n  luks:\n    device: /dev/dasda\n"))
        .hasMessageContaining("$.boot_device.luks.device").hasMessageContaining("requires tpm2, tang or cex");
  }

  @Test
  void user_partitions_merge_into_the_generated_mirrored_disk() {
    JsonNode disk = output(bootDevice("1.4.0", "  layout: x86_64\n  mirror:\n    devices: [/dev/vda, /dev/vdb]\n")
        + "storage:\n  disks:\n    - device: /dev/vda\n      partitions:\n        - label: root-1\n          size_mib: 10240\n"
        + "        - label: var-1\n          size_mib: 0\n").at("/storage/disks/0");
    assertThat(disk.get("wipeTable").asBoolean()).isTrue();
    assertThat(disk.at("/partitions/3")).isEqualTo(Butane.json("{'label':'root-1','sizeMiB':10240}"));
    assertThat(disk.at("/partitions/4")).isEqualTo(Butane.json("{'label':'var-1','sizeMiB':0}"));
    assertThat(disk.get("partitions")).hasSize(5);
  }

  @Test
  void a_user_filesystem_on_the_luks_root_overrides_the_generated_one() {
    JsonNode filesystems = output(bootDevice("1.4.0", "  luks:\n    tpm2: true\n")
        + "storage:\n  filesystems:\n    - device: /dev/mapper/root\n      format: ext4\n      label: myroot\n")
        .at("/storage/filesystems");
    assertThat(filesystems).isEqualTo(Butane.json(
        "[{'device':'/dev/mapper/root','format':'ext4','label':'myroot','wipeFilesystem':true}]"));
  }

  @Test
  void boot_device_is_unknown_before_1_3_0() {
    Translation translation = translate(bootDevice("1.2.0", "  luks:\n    tpm2: true\n"));
    assertThat(translation.ignitionJson()).isEqualTo("{\"ignition\":{\"version\":\"3.2.0\"}}");
    assertThat(translation.warnings()).anyMatch(w -> w.contains("Unused key boot_device"));
  }
}
