package dev.ironcore.boot.ignition.butane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** BUTANE.md §8: Ignition's merge of generated (parent) and user (child) config. */
class ConfigMergerTest {

  private static ObjectNode json(String text) {
    return (ObjectNode) Butane.json(text);
  }

  @Test
  void the_child_wins_for_scalars_and_keeps_the_parents_other_fields() {
    assertThat(ConfigMerger.merge(json("{'a':1,'b':true,'o':{'x':1,'y':2}}"), json("{'a':2,'o':{'y':3}}")))
        .isEqualTo(json("{'a':2,'b':true,'o':{'x':1,'y':3}}"));
  }

  @Test
  void keyed_lists_put_parent_entries_first_merged_then_new_child_entries() {
    ObjectNode parent = json("{'systemd':{'units':[{'name':'a.mount','enabled':true,'contents':'x'},{'name':'b.mount'}]}}");
    ObjectNode child = json("{'systemd':{'units':[{'name':'c.service'},{'name':'a.mount','enabled':false}]}}");
    assertThat(ConfigMerger.merge(parent, child)).isEqualTo(json(
        "{'systemd':{'units':[{'name':'a.mount','enabled':false,'contents':'x'},{'name':'b.mount'},{'name':'c.service'}]}}"));
  }

  @Test
  void files_directories_and_links_share_one_key_space() {
    ObjectNode parent = json("{'storage':{'files':[{'path':'/a','mode':420},{'path':'/b'}]}}");
    ObjectNode child = json("{'storage':{'directories':[{'path':'/a'}],'files':[{'path':'/b','mode':384}]}}");
    assertThat(ConfigMerger.merge(parent, child)).isEqualTo(json(
        "{'storage':{'files':[{'path':'/b','mode':384}],'directories':[{'path':'/a'}]}}"));
  }

  @Test
  void partitions_are_keyed_by_number_else_label() {
    ObjectNode parent = json("{'storage':{'disks':[{'device':'/d','partitions':[{'number':1,'label':'x'},{'label':'y','sizeMiB':1}]}]}}");
    ObjectNode child = json("{'storage':{'disks':[{'device':'/d','partitions':[{'label':'y','sizeMiB':2},{'number':1,'sizeMiB':5}]}]}}");
    assertThat(ConfigMerger.merge(parent, child).at("/storage/disks/0/partitions")).isEqualTo(Butane.json(
        "[{'number':1,'label':'x','sizeMiB':5},{'label':'y','sizeMiB':2}]"));
  }

  @Test
  void append_and_options_lists_are_concatenated_parent_first() {
    ObjectNode parent = json("{'storage':{'filesystems':[{'device':'/d','options':['-a'],'mountOptions':['ro']}]}}");
    ObjectNode child = json("{'storage':{'filesystems':[{'device':'/d','options':['-a','-b'],'mountOptions':['noatime']}]}}");
    assertThat(ConfigMerger.merge(parent, child).at("/storage/filesystems/0")).isEqualTo(Butane.json(
        "{'device':'/d','options':['-a','-a','-b'],'mountOptions':['ro','noatime']}"));
  }

  @Test
  void string_lists_are_keyed_by_value() {
    ObjectNode parent = json("{'passwd':{'users':[{'name':'core','sshAuthorizedKeys':['k1','k2']}]}}");
    ObjectNode child = json("{'passwd':{'users':[{'name':'core','sshAuthorizedKeys':['k3','k1']}]}}");
    assertThat(ConfigMerger.merge(parent, child).at("/passwd/users/0/sshAuthorizedKeys")).isEqualTo(
        Butane.json("['k1','k2','k3']"));
  }

  @Test
  void the_childs_objects_are_kept_so_source_locations_survive() {
    ObjectNode child = json("{'systemd':{'units':[{'name':'a.mount'}]}}");
    ObjectNode userUnit = (ObjectNode) child.at("/systemd/units/0");
    ObjectNode merged = ConfigMerger.merge(json("{'systemd':{'units':[{'name':'a.mount','enabled':true}]}}"), child);
    assertThat(merged.at("/systemd/units/0")).isSameAs(userUnit);
  }
}
