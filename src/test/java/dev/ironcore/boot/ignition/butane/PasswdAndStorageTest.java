package dev.ironcore.boot.ignition.butane;

import static dev.ironcore.boot.ignition.butane.Butane.assertTranslates;
import static dev.ironcore.boot.ignition.butane.Butane.translate;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** BUTANE.md §5: passwd, nodes, storage and kernel arguments are field-by-field renames. */
class PasswdAndStorageTest {

  @Test
  void users_and_groups_are_renamed_one_to_one() {
    assertTranslates("""
        variant: fcos
        version: 1.2.0
        passwd:
          users:
            - name: core
              password_hash: $y$hash
              ssh_authorized_keys: [ssh-ed25519 AAAA]
              uid: 1000
              gecos: Core User
              home_dir: /home/core
              no_create_home: true
              primary_group: core
              groups: [wheel, sudo]
              no_user_group: true
              no_log_init: true
              shell: /bin/bash
              system: false
              should_exist: true
          groups:
            - name: ops
              gid: 2000
              password_hash: "*"
              system: true
              should_exist: false
        """, """
        {'ignition':{'version':'3.2.0'},'passwd':{
          'users':[{'name':'core','passwordHash':'$y$hash','sshAuthorizedKeys':['ssh-ed25519 AAAA'],'uid':1000,
            'gecos':'Core User','homeDir':'/home/core','noCreateHome':true,'primaryGroup':'core',
            'groups':['wheel','sudo'],'noUserGroup':true,'noLogInit':true,'shell':'/bin/bash','system':false,
            'shouldExist':true}],
          'groups':[{'name':'ops','gid':2000,'passwordHash':'*','system':true,'shouldExist':false}]}}""");
  }

  @Test
  void links_and_directories_copy_their_fields() {
    assertTranslates("""
        variant: fcos
        version: 1.0.0
        storage:
          directories:
            - path: /var/lib/x
              overwrite: true
              mode: 0750
              user: {name: core}
              group: {id: 0}
          links:
            - path: /etc/localtime
              target: ../usr/share/zoneinfo/UTC
              overwrite: false
              hard: false
        """, """
        {'ignition':{'version':'3.0.0'},'storage':{
          'directories':[{'path':'/var/lib/x','overwrite':true,'mode':488,'user':{'name':'core'},'group':{'id':0}}],
          'links':[{'path':'/etc/localtime','target':'../usr/share/zoneinfo/UTC','overwrite':false,'hard':false}]}}""");
  }

  @Test
  void disks_raid_filesystems_and_luks_are_renamed() {
    assertTranslates("""
        variant: fcos
        version: 1.2.0
        storage:
          disks:
            - device: /dev/vdb
              wipe_table: true
              partitions:
                - label: data
                  number: 1
                  size_mib: 0
                  resize: true
                  guid: 8A9C1B4E-0A3C-4F8B-9D2E-1F6A7B8C9D0E
          raid:
            - name: md0
              level: raid1
              devices: [/dev/vdc, /dev/vdd]
              spares: 0
              options: [--assume-clean]
          luks:
            - name: data
              device: /dev/disk/by-partlabel/data
              label: luks-data
              uuid: 0b5f1e2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b
              wipe_volume: true
              options: [--cipher, aes-xts-plain64]
              key_file:
                inline: secret
              clevis:
                tpm2: true
          filesystems:
            - device: /dev/mapper/data
              format: ext4
              label: data
              path: /var/data
              uuid: 1c6f2e3a-4d5e-4f6a-9b0c-1d2e3f4a5b6c
              wipe_filesystem: true
              options: [-E, lazy_itable_init=0]
              mount_options: [noatime]
        """, """
        {'ignition':{'version':'3.2.0'},'storage':{
          'disks':[{'device':'/dev/vdb','wipeTable':true,'partitions':[{'label':'data','number':1,'sizeMiB':0,
            'resize':true,'guid':'8A9C1B4E-0A3C-4F8B-9D2E-1F6A7B8C9D0E'}]}],
          'raid':[{'name':'md0','level':'raid1','devices':['/dev/vdc','/dev/vdd'],'spares':0,'options':['--assume-clean']}],
          'luks':[{'name':'data','device':'/dev/disk/by-partlabel/data','label':'luks-data',
            'uuid':'0b5f1e2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b','wipeVolume':true,'options':['--cipher','aes-xts-plain64'],
            'keyFile':{'source':'data:,secret','compression':''},'clevis':{'tpm2':true}}],
          'filesystems':[{'device':'/dev/mapper/data','format':'ext4','label':'data','path':'/var/data',
            'uuid':'1c6f2e3a-4d5e-4f6a-9b0c-1d2e3f4a5b6c','wipeFilesystem':true,'options':['-E','lazy_itable_init=0'],
            'mountOptions':['noatime']}]}}""");
  }

  @Test
  void units_and_drop_ins_are_copied_with_plain_string_contents() {
    assertTranslates("""
        variant: fcos
        version: 1.3.0
        systemd:
          units:
            - name: hello.service
              enabled: true
              contents: |
                [Service]
                ExecStart=/bin/echo hello
                [Install]
                WantedBy=multi-user.target
            - name: docker.service
              mask: true
            - name: sshd.service
              dropins:
                - name: 10-port.conf
                  contents: "[Service]\\nEnvironment=PORT=2222\\n"
        """, """
        {'ignition':{'version':'3.2.0'},'systemd':{'units':[
          {'name':'hello.service','enabled':true,
           'contents':'[Service]\\nExecStart=/bin/echo hello\\n[Install]\\nWantedBy=multi-user.target\\n'},
          {'name':'docker.service','mask':true},
          {'name':'sshd.service','dropins':[{'name':'10-port.conf','contents':'[Service]\\nEnvironment=PORT=2222\\n'}]}]}}""");
  }

  @Test
  void kernel_arguments_are_renamed_from_1_4_0() {
    assertTranslates("variant: fcos\nversion: 1.4.0\nkernel_arguments:\n  should_exist: [console=ttyS0, quiet]\n"
        + "  should_not_exist: [mitigations=auto]\n", """
        {'ignition':{'version':'3.3.0'},'kernelArguments':{'shouldExist':['console=ttyS0','quiet'],
          'shouldNotExist':['mitigations=auto']}}""");
  }

  @Test
  void ignition_proxy_and_headers_exist_from_1_1_0() {
    assertTranslates("""
        variant: fcos
        version: 1.1.0
        ignition:
          proxy:
            http_proxy: http://proxy:3128
            https_proxy: https://proxy:3129
            no_proxy: [localhost, 10.0.0.0/8]
          config:
            merge:
              - source: https://example.com/a.ign
                http_headers:
                  - name: Authorization
                    value: Bearer x
        """, """
        {'ignition':{'version':'3.1.0',
          'proxy':{'httpProxy':'http://proxy:3128','httpsProxy':'https://proxy:3129','noProxy':['localhost','10.0.0.0/8']},
          'config':{'merge':[{'source':'https://example.com/a.ign','httpHeaders':[{'name':'Authorization','value':'Bearer x'}]}]}}}""");
  }

  @Test
  void luks_discard_open_options_and_cex_arrive_in_their_versions() {
    String luks = "storage:\n  luks:\n    - name: d\n      device: /dev/vdb\n      discard: true\n"
        + "      open_options: [--perf-no_read_workqueue]\n";
    assertThat(Butane.json(translate("variant: fcos\nversion: 1.5.0\n" + luks).ignitionJson()).at("/storage/luks/0"))
        .isEqualTo(Butane.json("{'name':'d','device':'/dev/vdb','discard':true,'openOptions':['--perf-no_read_workqueue']}"));
    assertThat(translate("variant: fcos\nversion: 1.4.0\n" + luks).warnings()).hasSize(2);
  }
}
