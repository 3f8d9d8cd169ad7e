package dev.ironcore.boot.ignition.butane;

import static dev.ironcore.boot.ignition.butane.Butane.assertTranslates;
import static dev.ironcore.boot.ignition.butane.Butane.translate;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** BUTANE.md §3: key names, what is omitted, what is always present. */
class OutputShapeTest {

  @Test
  void snake_case_keys_become_camel_case_with_mib() {
    assertTranslates("""
        variant: fcos
        version: 1.4.0
        storage:
          disks:
            - device: /dev/vda
              wipe_table: false
              partitions:
                - label: data
                  number: 5
                  size_mib: 0
                  start_mib: 100
                  type_guid: 0FC63DAF-8483-4772-8E79-3D69D8477DE4
                  wipe_partition_entry: true
                  should_exist: true
        ignition:
          timeouts:
            http_response_headers: 10
            http_total: 60
        kernel_arguments:
          should_exist: [quiet]
          should_not_exist: [debug]
        """, """
        {'ignition':{'version':'3.3.0','timeouts':{'httpResponseHeaders':10,'httpTotal':60}},
         'storage':{'disks':[{'device':'/dev/vda','wipeTable':false,'partitions':[{'label':'data','number':5,
           'sizeMiB':0,'startMiB':100,'typeGuid':'0FC63DAF-8483-4772-8E79-3D69D8477DE4',
           'wipePartitionEntry':true,'shouldExist':true}]}]},
         'kernelArguments':{'shouldExist':['quiet'],'shouldNotExist':['debug']}}""");
  }

  @Test
  void fields_set_to_false_zero_or_empty_are_output() {
    assertTranslates("""
        variant: fcos
        version: 1.4.0
        systemd:
          units:
            - name: a.service
              enabled: false
              mask: false
        passwd:
          users:
            - name: core
              uid: 0
              gecos: ""
              no_create_home: false
        """, """
        {'ignition':{'version':'3.3.0'},'systemd':{'units':[{'name':'a.service','enabled':false,'mask':false}]},
         'passwd':{'users':[{'name':'core','uid':0,'gecos':'','noCreateHome':false}]}}""");
  }

  @Test
  void empty_lists_and_objects_are_omitted() {
    assertTranslates("""
        variant: fcos
        version: 1.4.0
        storage:
          files:
            - path: /etc/a
              user: {}
              group: {}
              contents:
                verification: {}
          directories: []
        passwd:
          users: []
        systemd: {}
        """, "{'ignition':{'version':'3.3.0'},'storage':{'files':[{'path':'/etc/a'}]}}");
  }

  @Test
  void partition_number_zero_is_omitted() {
    assertTranslates("variant: fcos\nversion: 1.4.0\nstorage:\n  disks:\n    - device: /dev/vda\n      partitions:\n"
        + "        - number: 0\n          label: x\n",
        "{'ignition':{'version':'3.3.0'},'storage':{'disks':[{'device':'/dev/vda','partitions':[{'label':'x'}]}]}}");
  }

  @Test
  void no_defaults_are_invented() {
    assertTranslates("variant: fcos\nversion: 1.4.0\nstorage:\n  files:\n    - path: /etc/a\n  links:\n"
        + "    - path: /etc/l\n      target: /etc/a\n",
        "{'ignition':{'version':'3.3.0'},'storage':{'files':[{'path':'/etc/a'}],'links':[{'path':'/etc/l','target':'/etc/a'}]}}");
  }

  @Test
  void an_empty_config_only_has_the_ignition_version() {
    assertThat(translate("variant: fcos\nversion: 1.7.0\n").ignitionJson())
        .isEqualTo("{\"ignition\":{\"version\":\"3.6.0\"}}");
  }

  @Test
  void numbers_are_json_integers_and_modes_decimal() {
    assertThat(translate("variant: fcos\nversion: 1.4.0\nstorage:\n  directories:\n    - path: /var/x\n      mode: 0755\n")
        .ignitionJson()).isEqualTo(
            "{\"ignition\":{\"version\":\"3.3.0\"},\"storage\":{\"directories\":[{\"path\":\"/var/x\",\"mode\":493}]}}");
  }

  @Test
  void lists_keep_the_users_order() {
    assertTranslates("variant: fcos\nversion: 1.4.0\npasswd:\n  users:\n    - name: z\n    - name: a\n    - name: m\n",
        "{'ignition':{'version':'3.3.0'},'passwd':{'users':[{'name':'z'},{'name':'a'},{'name':'m'}]}}");
  }

  @Test
  void in_3_0_0_a_config_reference_always_has_a_source() {
    assertTranslates("variant: fcos\nversion: 1.0.0\nignition:\n  security:\n    tls:\n      certificate_authorities:\n"
        + "        - source: https://example.com/ca.pem\n",
        "{'ignition':{'version':'3.0.0','security':{'tls':{'certificateAuthorities':[{'source':'https://example.com/ca.pem'}]}}}}");
  }

  @Test
  void user_and_group_ids_and_names_are_copied() {
    assertTranslates("variant: fcos\nversion: 1.4.0\nstorage:\n  directories:\n    - path: /var/x\n      user:\n"
        + "        id: 1000\n      group:\n        name: core\n",
        "{'ignition':{'version':'3.3.0'},'storage':{'directories':[{'path':'/var/x','user':{'id':1000},'group':{'name':'core'}}]}}");
  }
}
