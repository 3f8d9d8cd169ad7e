package dev.ironcore.boot.ignition.butane;

import static dev.ironcore.boot.ignition.butane.Butane.assertRejected;
import static dev.ironcore.boot.ignition.butane.Butane.assertTranslates;
import static dev.ironcore.boot.ignition.butane.Butane.output;
import static dev.ironcore.boot.ignition.butane.Butane.translate;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** BUTANE.md §2: YAML is read with Go yaml.v3's rules. */
class YamlDecodingTest {

  private static String directoryWithMode(String version, String mode) {
    return "variant: fcos\nversion: " + version + "\nstorage:\n  directories:\n    - path: /var/d\n      mode: "
        + mode + "\n";
  }

  private static long decodedMode(String mode) {
    return output(directoryWithMode("1.4.0", mode)).at("/storage/directories/0/mode").asLong();
  }

  @ParameterizedTest(name = "mode: {0} is {1}")
  @CsvSource({"0644, 420", "0o644, 420", "0x1A4, 420", "0b110100100, 420", "420, 420", "644.0, 644",
      "0755, 493", "1_0, 10", "+0644, 420"})
  void int_fields_read_yaml_1_1_octal_and_other_bases(String mode, long expected) {
    assertThat(decodedMode(mode)).isEqualTo(expected);
  }

  @Test
  void a_quoted_number_in_an_int_field_is_an_error_naming_field_line_and_column() {
    assertRejected(directoryWithMode("1.4.0", "\"0644\""))
        .hasMessage("error at $.storage.directories.0.mode, line 6 column 13: cannot unmarshal !!str `0644` into int");
  }

  @ParameterizedTest
  @ValueSource(strings = {"true", "abc", "[1]", "{a: 1}", "1e400"})
  void non_integers_in_an_int_field_are_errors(String value) {
    assertRejected(directoryWithMode("1.4.0", value)).hasMessageContaining("$.storage.directories.0.mode")
        .hasMessageContaining("cannot unmarshal");
  }

  private static boolean decodedEnabled(String value) {
    String yaml = "variant: fcos\nversion: 1.4.0\nsystemd:\n  units:\n    - name: a.service\n      enabled: "
        + value + "\n      contents: \"[Install]\"\n";
    return output(yaml).at("/systemd/units/0/enabled").asBoolean();
  }

  @ParameterizedTest(name = "enabled: {0} is {1}")
  @CsvSource({"true, true", "false, false", "yes, true", "no, false", "on, true", "off, false", "Y, true",
      "n, false", "True, true", "TRUE, true", "FALSE, false", "'\"yes\"', true", "'''off''', false"})
  void bool_fields_take_yaml_1_1_words_quoted_or_not(String value, boolean expected) {
    assertThat(decodedEnabled(value)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"true\"", "'false'", "1", "enable", "[true]"})
  void other_values_in_a_bool_field_are_errors(String value) {
    assertRejected("variant: fcos\nversion: 1.4.0\nsystemd:\n  units:\n    - name: a.service\n      enabled: "
        + value + "\n").hasMessageContaining("$.systemd.units.0.enabled").hasMessageContaining("into bool");
  }

  @ParameterizedTest(name = "name: {0} is \"{1}\"")
  @CsvSource(delimiter = '|', value = {"1234|1234", "3.14|3.14", "1.50|1.50", "0644|0644", "true|true",
      "yes|yes", "'\"quoted\"'|quoted", "2001-01-01|2001-01-01"})
  void string_fields_keep_the_scalar_text(String value, String expected) {
    String yaml = "variant: fcos\nversion: 1.0.0\npasswd:\n  users:\n    - name: " + value + "\n";
    assertThat(output(yaml).at("/passwd/users/0/name").asText()).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "~", "null", "Null", "NULL"})
  void null_means_not_set(String value) {
    assertTranslates("variant: fcos\nversion: 1.0.0\npasswd:\n  users:\n    - name: core\n      shell: " + value
        + "\n      uid: " + value + "\n", "{'ignition':{'version':'3.0.0'},'passwd':{'users':[{'name':'core'}]}}");
  }

  @Test
  void an_empty_quoted_string_is_set_to_empty() {
    assertTranslates("variant: fcos\nversion: 1.0.0\npasswd:\n  users:\n    - name: core\n      shell: \"\"\n",
        "{'ignition':{'version':'3.0.0'},'passwd':{'users':[{'name':'core','shell':''}]}}");
  }

  @Test
  void a_null_list_item_is_dropped() {
    assertTranslates("variant: fcos\nversion: 1.0.0\npasswd:\n  users:\n    - name: core\n      groups: [wheel, ~, sudo]\n",
        "{'ignition':{'version':'3.0.0'},'passwd':{'users':[{'name':'core','groups':['wheel','sudo']}]}}");
  }

  @Test
  void anchors_aliases_and_merge_keys_work_and_the_merge_key_is_reported_unused() {
    Translation translation = translate("""
        variant: fcos
        version: 1.4.0
        x-base: &base {mode: 0600, overwrite: true}
        storage:
          files:
            - <<: *base
              path: /etc/a
              mode: 0640
              contents: {inline: a}
            - path: /etc/b
              contents: &c {inline: b}
            - path: /etc/c
              contents: *c
        """);
    assertThat(Butane.json(translation.ignitionJson())).isEqualTo(Butane.json("""
        {'ignition':{'version':'3.3.0'},'storage':{'files':[
          {'path':'/etc/a','mode':416,'overwrite':true,'contents':{'source':'data:,a','compression':''}},
          {'path':'/etc/b','contents':{'source':'data:,b','compression':''}},
          {'path':'/etc/c','contents':{'source':'data:,b','compression':''}}]}}"""));
    assertThat(translation.warnings()).anyMatch(w -> w.contains("$.x-base") && w.contains("Unused key x-base"))
        .anyMatch(w -> w.contains("$.storage.files.0.<<") && w.contains("Unused key <<"));
  }

  @Test
  void block_scalars_follow_yaml() {
    assertTranslates("""
        variant: fcos
        version: 1.4.0
        passwd:
          users:
            - name: literal
              gecos: |
                first
                  indented
            - name: strip
              gecos: |-
                a
            - name: keep
              gecos: |+
                a

            - name: folded
              gecos: >
                a
                b
            - name: indicator
              gecos: |2
                  two extra
        """, """
        {'ignition':{'version':'3.3.0'},'passwd':{'users':[
          {'name':'literal','gecos':'first\\n  indented\\n'},
          {'name':'strip','gecos':'a'},
          {'name':'keep','gecos':'a\\n\\n'},
          {'name':'folded','gecos':'a b\\n'},
          {'name':'indicator','gecos':'  two extra\\n'}]}}""");
  }

  @Test
  void only_the_first_document_is_used() {
    assertTranslates("variant: fcos\nversion: 1.1.0\n---\nvariant: flatcar\n: [\n",
        "{'ignition':{'version':'3.1.0'}}");
  }

  @Test
  void json_input_is_yaml() {
    assertTranslates("{\"variant\": \"fcos\", \"version\": \"1.2.0\", \"passwd\": {\"users\": [{\"name\": \"core\"}]}}",
        "{'ignition':{'version':'3.2.0'},'passwd':{'users':[{'name':'core'}]}}");
  }

  @Test
  void tabs_in_indentation_are_rejected_with_line_and_column() {
    assertRejected("variant: fcos\nversion: 1.4.0\npasswd:\n\tusers: []\n")
        .hasMessageStartingWith("Error unmarshaling yaml:")
        .hasMessageContaining("line 4 column 1");
  }

  @Test
  void an_unterminated_quote_is_rejected() {
    assertRejected("variant: fcos\nversion: '1.4.0\n").hasMessageStartingWith("Error unmarshaling yaml:");
  }

  @Test
  void duplicate_keys_are_rejected_naming_both_lines() {
    assertRejected("variant: fcos\nversion: 1.4.0\nstorage:\n  files: []\n  files: []\n")
        .hasMessage("Error unmarshaling yaml: line 5 column 3: mapping key \"files\" already defined at line 4");
  }

  @Test
  void a_list_where_a_mapping_is_expected_is_an_error() {
    assertRejected("variant: fcos\nversion: 1.4.0\nstorage:\n  - files\n")
        .hasMessage("error at $.storage, line 4 column 3: cannot unmarshal !!seq into types.Storage");
  }

  @Test
  void a_scalar_where_a_mapping_is_expected_names_its_own_tag_and_value() {
    assertRejected("variant: fcos\nversion: 1.5.0\npasswd: 7\n")
        .hasMessage("error at $.passwd, line 3 column 9: cannot unmarshal !!int `7` into types.Passwd");
    assertRejected("variant: fcos\nversion: 1.5.0\npasswd: nobody\n")
        .hasMessage("error at $.passwd, line 3 column 9: cannot unmarshal !!str `nobody` into types.Passwd");
  }

  @Test
  void a_mapping_where_a_list_is_expected_is_an_error() {
    assertRejected("variant: fcos\nversion: 1.4.0\nstorage:\n  files:\n    path: /a\n")
        .hasMessage("error at $.storage.files, line 5 column 5: cannot unmarshal !!map into []types.File");
  }

  @Test
  void invalid_utf8_is_rejected() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ButaneTranslator()
            .translate(new byte[] {'a', ':', ' ', (byte) 0xff}))
        .isInstanceOf(ButaneException.class).hasMessageContaining("UTF-8");
  }
}
