package dev.ironcore.boot.ignition.butane;

import static dev.ironcore.boot.ignition.butane.Butane.assertTranslates;

import org.junit.jupiter.api.Test;

class ButaneTranslatorSmokeTest {

  @Test
  void translates_a_file_with_inline_contents() {
    assertTranslates("""
        variant: fcos
        version: 1.5.0
        storage:
          files:
            - path: /etc/hostname
              mode: 0644
              contents:
                inline: node-1
        """, """
        {'ignition':{'version':'3.4.0'},'storage':{'files':[{'path':'/etc/hostname','mode':420,
         'contents':{'source':'data:,node-1','compression':''}}]}}
        """);
  }
}
