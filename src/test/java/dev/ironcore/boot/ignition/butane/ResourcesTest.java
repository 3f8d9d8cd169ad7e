package dev.ironcore.boot.ignition.butane;

import static dev.ironcore.boot.ignition.butane.Butane.assertRejected;
import static dev.ironcore.boot.ignition.butane.Butane.assertTranslates;
import static dev.ironcore.boot.ignition.butane.Butane.output;
import static dev.ironcore.boot.ignition.butane.Butane.translate;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** BUTANE.md §4: inline, local and source resources. */
class ResourcesTest {

  private static String file(String version, String contents) {
    return "variant: fcos\nversion: " + version + "\nstorage:\n  files:\n    - path: /etc/f\n      contents:\n"
        + contents;
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.1.0", "1.2.0", "1.3.0", "1.4.0", "1.5.0", "1.6.0", "1.7.0"})
  void inline_gets_a_data_url_and_an_explicit_empty_compression(String version) {
    assertThat(output(file(version, "        inline: \"hello world\"\n")).at("/storage/files/0/contents"))
        .isEqualTo(Butane.json("{'source':'data:,hello%20world','compression':''}"));
  }

  @Test
  void inline_with_many_escapes_is_base64() {
    assertThat(output(file("1.4.0", "        inline: \"日本\"\n")).at("/storage/files/0/contents"))
        .isEqualTo(Butane.json("{'source':'data:;base64,5pel5pys','compression':''}"));
  }

  @Test
  void an_empty_inline_is_an_empty_data_url() {
    assertThat(output(file("1.4.0", "        inline: \"\"\n")).at("/storage/files/0/contents"))
        .isEqualTo(Butane.json("{'source':'data:,','compression':''}"));
  }

  @Test
  void a_users_compression_is_kept_and_nothing_is_compressed_again() {
    assertThat(output(file("1.4.0", "        inline: abc\n        compression: gzip\n")).at("/storage/files/0/contents"))
        .isEqualTo(Butane.json("{'source':'data:,abc','compression':'gzip'}"));
  }

  @Test
  void large_repetitive_contents_are_never_gzipped() {
    String big = "x".repeat(5000);
    assertThat(output(file("1.4.0", "        inline: " + big + "\n")).at("/storage/files/0/contents/source").asText())
        .isEqualTo("data:," + big);
  }

  @Test
  void fcos_1_0_percent_encodes_and_adds_no_compression() {
    assertTranslates(file("1.0.0", "        inline: \"日本\"\n"), """
        {'ignition':{'version':'3.0.0'},'storage':{'files':[{'path':'/etc/f',
          'contents':{'source':'data:,%E6%97%A5%E6%9C%AC'}}]}}""");
  }

  @Test
  void a_source_resource_is_copied_verbatim() {
    String hash = "sha512-" + "a".repeat(128);
    assertTranslates(file("1.4.0", "        source: https://example.com/f?x=1\n        verification:\n"
        + "          hash: " + hash + "\n        http_headers:\n          - name: Auth\n            value: t\n"), """
        {'ignition':{'version':'3.3.0'},'storage':{'files':[{'path':'/etc/f','contents':{
          'source':'https://example.com/f?x=1','verification':{'hash':'%s'},
          'httpHeaders':[{'name':'Auth','value':'t'}]}}]}}""".formatted(hash));
  }

  @Test
  void append_entries_are_resources_too() {
    assertTranslates("variant: fcos\nversion: 1.2.0\nstorage:\n  files:\n    - path: /etc/f\n      append:\n"
        + "        - inline: a\n        - source: http://h/b\n", """
        {'ignition':{'version':'3.2.0'},'storage':{'files':[{'path':'/etc/f','append':[
          {'source':'data:,a','compression':''},{'source':'http://h/b'}]}]}}""");
  }

  @Test
  void inline_and_source_together_are_rejected() {
    assertRejected(file("1.4.0", "        inline: a\n        source: http://h/a\n"))
        .hasMessage("error at $.storage.files.0.contents.source, line 8 column 17: "
            + "only one of the following can be set: inline, local, source");
  }

  @Test
  void local_is_rejected_because_the_server_has_no_files_directory() {
    assertRejected(file("1.4.0", "        local: f.txt\n"))
        .hasMessage("error at $.storage.files.0.contents.local, line 7 column 16: "
            + SourceValidator.NO_FILES_DIR);
  }

  @Test
  void trees_are_rejected() {
    assertRejected("variant: fcos\nversion: 1.4.0\nstorage:\n  trees:\n    - local: dir\n      path: /etc\n")
        .hasMessageContaining("$.storage.trees.0.local, line 5 column 14").hasMessageContaining("--files-dir");
  }

  @Test
  void contents_local_and_ssh_authorized_keys_local_are_rejected() {
    assertRejected("variant: fcos\nversion: 1.5.0\nsystemd:\n  units:\n    - name: a.service\n      contents_local: a\n")
        .hasMessageContaining("$.systemd.units.0.contents_local").hasMessageContaining("--files-dir");
    assertRejected("variant: fcos\nversion: 1.5.0\npasswd:\n  users:\n    - name: core\n      ssh_authorized_keys_local: [k]\n")
        .hasMessageContaining("$.passwd.users.0.ssh_authorized_keys_local").hasMessageContaining("--files-dir");
  }

  @Test
  void merge_replace_and_ca_take_inline_from_1_1_0() {
    // The JSON has so many escapes that base64 is shorter.
    String yaml = """
        variant: fcos
        version: 1.1.0
        ignition:
          config:
            merge:
              - inline: '{"ignition":{"version":"3.1.0"}}'
            replace:
              source: https://example.com/c.ign
          security:
            tls:
              certificate_authorities:
                - inline: CA
        """;
    assertThat(output(yaml)).isEqualTo(Butane.json("""
        {"ignition":{"version":"3.1.0","config":{
          "merge":[{"source":"data:;base64,eyJpZ25pdGlvbiI6eyJ2ZXJzaW9uIjoiMy4xLjAifX0=","compression":""}],
          "replace":{"source":"https://example.com/c.ign"}},
          "security":{"tls":{"certificateAuthorities":[{"source":"data:,CA","compression":""}]}}}}"""
        .replace('"', '\'')));
  }

  @Test
  void inline_config_references_are_unknown_in_1_0_0() {
    Translation translation = translate("variant: fcos\nversion: 1.0.0\nignition:\n  config:\n    merge:\n"
        + "      - source: https://example.com/a.ign\n        inline: x\n");
    assertThat(translation.warnings()).anyMatch(w -> w.contains("Unused key inline"));
    assertThat(Butane.json(translation.ignitionJson())).isEqualTo(Butane.json(
        "{'ignition':{'version':'3.0.0','config':{'merge':[{'source':'https://example.com/a.ign'}]}}}"));
  }

  @Test
  void an_inline_config_of_the_same_version_is_validated() {
    assertRejected("variant: fcos\nversion: 1.4.0\nignition:\n  config:\n    merge:\n      - inline: >-\n"
        + "          {\"ignition\":{\"version\":\"3.3.0\"},\"storage\":{\"files\":[{\"path\":\"rel\"}]}}\n")
        .hasMessageContaining("$.ignition.config.merge.0.inline").hasMessageContaining("path not absolute");
  }

  @Test
  void an_inline_config_of_another_version_only_warns() {
    Translation translation = translate("variant: fcos\nversion: 1.4.0\nignition:\n  config:\n    replace:\n"
        + "      inline: '{\"ignition\":{\"version\":\"3.0.0\"},\"storage\":{\"files\":[{\"path\":\"rel\"}]}}'\n");
    assertThat(translation.warnings()).anyMatch(w -> w.contains("skipping validation"));
  }

  @Test
  void an_inline_config_that_is_not_json_is_rejected() {
    assertRejected("variant: fcos\nversion: 1.4.0\nignition:\n  config:\n    replace:\n      inline: '{not json'\n")
        .hasMessageContaining("$.ignition.config.replace.inline").hasMessageContaining("not valid JSON");
  }
}
