package dev.ironcore.boot.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Who is asking: address literals, trusted ranges and X-Forwarded-For chains, without any socket. */
class ClientAddressTest {
  private static final TrustedProxies PROXIES = TrustedProxies.parse(List.of("127.0.0.0/29", "fd00:10::/32", "192.0.2.1"));

  @ParameterizedTest
  @CsvSource({
      "10.0.0.1, 10.0.0.1",
      "::ffff:10.0.0.1, 10.0.0.1",
      "0:0:0:0:0:FFFF:0A00:0001, 10.0.0.1",
      "[::ffff:10.0.0.1], 10.0.0.1",
      "2001:DB8:0:0:0:0:0:5, 2001:db8::5",
      "[2001:db8::5], 2001:db8::5",
      "0:0:0:0:0:0:0:1, ::1",
      "' ::1 ', ::1"})
  void everySpellingOfAnAddressHasOneCanonicalText(String literal, String canonical) {
    assertThat(IpAddress.canonical(literal)).isEqualTo(canonical);
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "example.org", "10.0.0.256", "unknown", "aa:bb:cc:dd:ee:ff", "", "1.2.3"})
  void namesAndGarbageAreNoAddresses(String literal) {
    // parsing is literal only: a host name is not looked up, it is simply not an address
    assertThat(IpAddress.parse(literal)).isNull();
  }

  @Test
  void anIpv4MappedAddressIsTheIpv4Address() {
    assertThat(IpAddress.parse("::ffff:10.0.0.1")).isEqualTo(IpAddress.parse("10.0.0.1"));
    assertThat(IpAddress.parse("::ffff:10.0.0.1").bytes()).hasSize(4);
    assertThat(Cidr.parse("10.0.0.0/8").contains(IpAddress.parse("::ffff:10.9.8.7"))).isTrue();
    assertThat(Cidr.parse("::ffff:10.0.0.0/104").contains(IpAddress.parse("10.9.8.7"))).isTrue();
    assertThat(Cidr.parse("::ffff:10.0.0.0/104").contains(IpAddress.parse("11.0.0.1"))).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
      "10.0.0.0/8, 10.255.1.2, true",
      "10.0.0.0/8, 11.0.0.1, false",
      "10.1.2.128/25, 10.1.2.200, true",
      "10.1.2.128/25, 10.1.2.127, false",
      "192.0.2.7, 192.0.2.7, true",
      "192.0.2.7, 192.0.2.8, false",
      "0.0.0.0/0, 203.0.113.9, true",
      "0.0.0.0/0, 2001:db8::1, false",
      "2001:db8::/32, 2001:DB8:ffff::1, true",
      "2001:db8::/33, 2001:db8:8000::1, false",
      "::/0, ::1, true",
      "::/0, 127.0.0.1, false"})
  void rangesContainTheirAddressesOnly(String range, String address, boolean contained) {
    assertThat(Cidr.parse(range).contains(IpAddress.parse(address))).isEqualTo(contained);
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.0/33", "2001:db8::/129", "10.0.0.0/-1", "10.0.0.0/x", "proxy.example", "10.0.0.0/"})
  void badRangesAreRefusedNamingThem(String range) {
    assertThatThrownBy(() -> TrustedProxies.parse(List.of("10.0.0.1", range)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(range.substring(0, 6));
  }

  @Test
  void withNoTrustedProxyTheClientIsThePeerWhateverItForwards() throws Exception {
    ClientAddress client = TrustedProxies.none().clientOf(peer("10.0.0.9"), "10.0.0.5");
    assertThat(client).isEqualTo(new ClientAddress("10.0.0.9", "10.0.0.9", false));
  }

  @Test
  void aSpoofedForwardFromAnUntrustedPeerIsIgnored() throws Exception {
    ClientAddress client = PROXIES.clientOf(peer("127.0.0.9"), List.of("10.0.0.5"));
    assertThat(client).isEqualTo(new ClientAddress("127.0.0.9", "127.0.0.9", false));
  }

  @Test
  void aTrustedPeerNamesTheClientRightMostUntrustedEntryFirst() throws Exception {
    // the client claims 10.6.6.6 itself; the first proxy appended what it saw, 10.0.0.5; then two more trusted hops
    ClientAddress client = PROXIES.clientOf(peer("127.0.0.2"), List.of("10.6.6.6, 10.0.0.5", "192.0.2.1,127.0.0.3"));
    assertThat(client).isEqualTo(new ClientAddress("10.0.0.5", "127.0.0.2", true));
  }

  @Test
  void forwardedEntriesMayCarryPortsAndAnySpellingOfIpv6() throws Exception {
    assertThat(PROXIES.clientOf(peer("127.0.0.2"), "10.0.0.5:4711").client()).isEqualTo("10.0.0.5");
    assertThat(PROXIES.clientOf(peer("127.0.0.2"), "[2001:DB8:0::5]:4711").client()).isEqualTo("2001:db8::5");
    assertThat(PROXIES.clientOf(peer("127.0.0.2"), "::ffff:10.0.0.5").client()).isEqualTo("10.0.0.5");
  }

  @Test
  void aGarbledEntryEndsTheChainAtTheLastTrustedHop() throws Exception {
    // "unknown" is what some proxies write; the hop that wrote it is trusted, its claim unreadable
    assertThat(PROXIES.clientOf(peer("127.0.0.2"), "10.0.0.5, unknown, 192.0.2.1"))
        .isEqualTo(new ClientAddress("192.0.2.1", "127.0.0.2", true));
    assertThat(PROXIES.clientOf(peer("127.0.0.2"), "10.0.0.5, host.example"))
        .isEqualTo(new ClientAddress("127.0.0.2", "127.0.0.2", true));
  }

  @Test
  void aChainOfTrustedHopsOnlyEndsAtItsLeftMostHop() throws Exception {
    assertThat(PROXIES.clientOf(peer("127.0.0.2"), "127.0.0.4, 127.0.0.3").client()).isEqualTo("127.0.0.4");
    assertThat(PROXIES.clientOf(peer("127.0.0.2"), null).client()).isEqualTo("127.0.0.2");
  }

  @Test
  void onlyTheLast32HopsAreRead() throws Exception {
    String trustedHops = String.join(",", java.util.Collections.nCopies(TrustedProxies.MAX_HOPS, "127.0.0.3"));
    assertThat(PROXIES.clientOf(peer("127.0.0.2"), "10.0.0.5," + trustedHops).client()).isEqualTo("127.0.0.3");
    assertThat(PROXIES.clientOf(peer("127.0.0.2"), "10.0.0.5," + trustedHops.substring(10)).client())
        .isEqualTo("10.0.0.5");
  }

  @Test
  void ipv6AndMappedPeersAreTrustedByTheirRanges() throws Exception {
    assertThat(PROXIES.clientOf(peer("fd00:10::7"), "2001:db8::9").client()).isEqualTo("2001:db8::9");
    // a dual-stack listener sees IPv4 peers as ::ffff:a.b.c.d
    assertThat(PROXIES.clientOf(peer("::ffff:127.0.0.2"), "10.0.0.5"))
        .isEqualTo(new ClientAddress("10.0.0.5", "127.0.0.2", true));
  }

  @Test
  void aPeerOnAUnixSocketIsUnknown() {
    assertThat(PROXIES.clientOf(SocketAddress.domainSocketAddress("/run/boot.sock"), "10.0.0.5"))
        .isEqualTo(new ClientAddress("-", "-", false));
    assertThat(PROXIES.clientOf(null, "10.0.0.5").client()).isEqualTo("-");
  }

  private static SocketAddress peer(String literal) throws UnknownHostException {
    // an address literal: InetAddress parses it without DNS
    return SocketAddress.inetSocketAddress(new InetSocketAddress(InetAddress.getByName(literal), 40000));
  }
}
