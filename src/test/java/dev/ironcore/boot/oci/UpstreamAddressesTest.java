package dev.ironcore.boot.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where a registry may send us, decided on resolved addresses only: nothing here connects anywhere.
 * Names resolve through a map the test controls, so a hostile DNS answer is a line of test data.
 */
class UpstreamAddressesTest {
  private static final URI REGISTRY = URI.create("https://registry.example/v2/a/b/blobs/sha256:1");

  @ParameterizedTest
  @CsvSource({
      "169.254.169.254, METADATA", "fd00:ec2::254, METADATA", "100.100.100.200, METADATA",
      "::ffff:169.254.169.254, METADATA",
      "127.0.0.1, LOOPBACK", "127.0.0.3, LOOPBACK", "::1, LOOPBACK", "::ffff:127.0.0.1, LOOPBACK",
      "169.254.0.1, LINK_LOCAL", "fe80::1, LINK_LOCAL", "febf::1, LINK_LOCAL",
      "10.0.0.1, PRIVATE", "10.255.255.255, PRIVATE", "172.16.0.1, PRIVATE", "172.31.255.254, PRIVATE",
      "192.168.1.1, PRIVATE", "fc00::1, PRIVATE", "fd12:3456::1, PRIVATE", "::ffff:10.1.2.3, PRIVATE",
      "0.0.0.0, UNSPECIFIED", "0.1.2.3, UNSPECIFIED", "::, UNSPECIFIED",
      "224.0.0.1, MULTICAST", "239.255.255.250, MULTICAST", "ff02::1, MULTICAST"})
  void refusedClassesAreRecognised(String literal, AddressClass expected) throws Exception {
    assertThat(AddressClass.of(InetAddress.getByName(literal))).hasValue(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"140.82.112.33", "172.32.0.1", "172.15.255.255", "192.169.0.1", "11.0.0.1",
      "2606:50c0:8000::154", "fbff::1", "fe00::1"})
  void publicAddressesAreNot(String literal) throws Exception {
    assertThat(AddressClass.of(InetAddress.getByName(literal))).isEmpty();
  }

  @Test
  void ipv4MappedAndCompatibleFormsAreJudgedAsTheIpv4AddressTheyCarry() throws Exception {
    // Inet6Address.getByAddress keeps the IPv6 form that InetAddress.getByName would turn into IPv4
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    byte[] compatible = new byte[16];
    for (byte[] bytes : List.of(mapped, compatible)) {
      System.arraycopy(new byte[] {(byte) 169, (byte) 254, (byte) 169, (byte) 254}, 0, bytes, 12, 4);
      assertThat(AddressClass.of(Inet6Address.getByAddress(null, bytes, -1))).hasValue(AddressClass.METADATA);
      System.arraycopy(new byte[] {10, 0, 0, 7}, 0, bytes, 12, 4);
      assertThat(AddressClass.of(Inet6Address.getByAddress(null, bytes, -1))).hasValue(AddressClass.PRIVATE);
      System.arraycopy(new byte[] {127, 0, 0, 1}, 0, bytes, 12, 4);
      assertThat(AddressClass.of(Inet6Address.getByAddress(null, bytes, -1))).hasValue(AddressClass.LOOPBACK);
    }
  }

  @ParameterizedTest
  @CsvSource({
      "http://cdn.example/blob, 169.254.169.254, refused a redirect to a cloud metadata address",
      "http://cdn.example/blob, 127.0.0.1, refused a redirect to a loopback address",
      "http://cdn.example/blob, fe80::1, refused a redirect to a link-local address",
      "http://cdn.example/blob, 192.168.0.10, refused a redirect to a private address",
      "http://cdn.example/blob, ::ffff:10.0.0.1, refused a redirect to a private address",
      "http://cdn.example/blob, 0.0.0.0, refused a redirect to an unspecified address",
      "http://169.254.169.254/latest/meta-data/, 169.254.169.254, refused a redirect to a cloud metadata address",
      "http://[::ffff:a9fe:a9fe]/latest/, ::ffff:a9fe:a9fe, refused a redirect to a cloud metadata address"})
  void aRedirectToARefusedAddressIsRefusedNamingOnlyTheClass(String location, String resolvesTo, String publicReason)
      throws Exception {
    UpstreamAddresses addresses = addresses(List.of("registry.example"), Map.of("cdn.example", resolvesTo));

    assertThatThrownBy(() -> addresses.ofHop(URI.create("http://registry.example/v2/"), URI.create(location),
        UpstreamAddresses.Hop.REDIRECT))
        .isInstanceOfSatisfying(RegistryException.class, refused -> {
          assertThat(refused.kind()).isEqualTo(RegistryException.Kind.REFUSED_UPSTREAM);
          assertThat(refused.publicReason()).isEqualTo(publicReason);
        });
    assertThatThrownBy(() -> addresses.ofHop(URI.create("http://registry.example/v2/"), URI.create(location),
        UpstreamAddresses.Hop.REDIRECT)) // the log line names the address
        .hasMessageContaining(InetAddress.getByName(resolvesTo).getHostAddress());
  }

  @Test
  void aNameWithOnePublicAndOnePrivateAddressIsRefused() throws Exception {
    UpstreamAddresses addresses = addresses(List.of("registry.example"), Map.of("cdn.example", "140.82.112.33,10.0.0.5"));

    assertThatThrownBy(() -> addresses.ofHop(REGISTRY, URI.create("https://cdn.example/blob"), UpstreamAddresses.Hop.REDIRECT))
        .isInstanceOf(RegistryException.class).hasMessageContaining("10.0.0.5");
  }

  @Test
  void aPublicHopIsAllowedAndTheCheckedAddressIsTheOneToConnectTo() throws Exception {
    UpstreamAddresses addresses = addresses(List.of("registry.example"), Map.of("cdn.example", "140.82.112.33"));

    assertThat(addresses.ofHop(REGISTRY, URI.create("https://cdn.example/blob"), UpstreamAddresses.Hop.REDIRECT))
        .isEqualTo(InetAddress.getByName("140.82.112.33"));
  }

  @Test
  void httpsToHttpIsRefusedWhereverItLeads() {
    UpstreamAddresses addresses = addresses(List.of("registry.example"), Map.of("cdn.example", "140.82.112.33"));

    assertThatThrownBy(() -> addresses.ofHop(REGISTRY, URI.create("http://cdn.example/blob"), UpstreamAddresses.Hop.REDIRECT))
        .isInstanceOfSatisfying(RegistryException.class, refused ->
            assertThat(refused.publicReason()).isEqualTo("refused a redirect from https to http"));
    assertThatThrownBy(() -> addresses.ofHop(REGISTRY, URI.create("http://registry.example/token"),
        UpstreamAddresses.Hop.TOKEN_REALM))
        .isInstanceOfSatisfying(RegistryException.class, refused ->
            assertThat(refused.publicReason()).isEqualTo("refused a token realm from https to http"));
  }

  @Test
  void anAllowedLoopbackRegistryMayUseItsOwnAddressOnAnyPortButNoOtherLoopbackAddress() throws Exception {
    UpstreamAddresses addresses = addresses(List.of("127.0.0.2:5000"), Map.of());
    URI registry = URI.create("http://127.0.0.2:5000/v2/");

    assertThat(addresses.ofHop(registry, URI.create("http://127.0.0.2:5001/token"), UpstreamAddresses.Hop.TOKEN_REALM))
        .isEqualTo(InetAddress.getByName("127.0.0.2"));
    assertThat(addresses.ofHop(registry, URI.create("http://[::ffff:127.0.0.2]:5002/blob"), UpstreamAddresses.Hop.REDIRECT))
        .isEqualTo(InetAddress.getByName("127.0.0.2"));
    assertThatThrownBy(() -> addresses.ofHop(registry, URI.create("http://127.0.0.3:5000/blob"), UpstreamAddresses.Hop.REDIRECT))
        .isInstanceOfSatisfying(RegistryException.class, refused ->
            assertThat(refused.publicReason()).isEqualTo("refused a redirect to a loopback address"));
    assertThatThrownBy(() -> addresses.ofHop(registry, URI.create("http://localhost:5000/blob"), UpstreamAddresses.Hop.REDIRECT))
        .isInstanceOf(RegistryException.class);
  }

  @Test
  void aRegistryAllowedByNameMayBeTheHostOfItsOwnTokenRealmOnAPrivateAddress() throws Exception {
    UpstreamAddresses addresses = addresses(List.of("harbor.internal:8443"),
        Map.of("harbor.internal", "10.1.2.3", "other.internal", "10.1.2.3"));
    URI registry = URI.create("https://harbor.internal:8443/v2/");

    assertThat(addresses.ofHop(registry, URI.create("https://harbor.internal/service/token"),
        UpstreamAddresses.Hop.TOKEN_REALM)).isEqualTo(InetAddress.getByName("10.1.2.3"));
    // the same address under a name the allowlist does not know is refused: the rule is about names and literals
    assertThatThrownBy(() -> addresses.ofHop(registry, URI.create("https://other.internal/token"),
        UpstreamAddresses.Hop.TOKEN_REALM)).isInstanceOf(RegistryException.class);
  }

  @Test
  void aMetadataAddressIsRefusedEvenForAnAllowedRegistry() {
    UpstreamAddresses addresses = addresses(List.of("169.254.169.254", "registry.example"),
        Map.of("registry.example", "169.254.169.254"));

    assertThatThrownBy(() -> addresses.ofHop(URI.create("http://169.254.169.254/v2/"),
        URI.create("http://169.254.169.254/latest/"), UpstreamAddresses.Hop.REDIRECT))
        .isInstanceOf(RegistryException.class);
    assertThatThrownBy(() -> addresses.ofRegistry(URI.create("https://registry.example/v2/")))
        .isInstanceOfSatisfying(RegistryException.class, refused ->
            assertThat(refused.publicReason()).isEqualTo("resolved to a cloud metadata address"));
  }

  @Test
  void anAllowedRegistryOnAPrivateAddressIsReachedAtTheAddressItResolvedTo() throws Exception {
    UpstreamAddresses addresses = addresses(List.of("harbor.internal"), Map.of("harbor.internal", "10.1.2.3"));

    assertThat(addresses.ofRegistry(URI.create("https://harbor.internal/v2/"))).isEqualTo(InetAddress.getByName("10.1.2.3"));
  }

  @Test
  void aNameThatDoesNotResolveIsUnreachable() {
    UpstreamAddresses addresses = addresses(List.of("registry.example"), Map.of());

    assertThatThrownBy(() -> addresses.ofHop(REGISTRY, URI.create("https://nowhere.example/blob"), UpstreamAddresses.Hop.REDIRECT))
        .isInstanceOfSatisfying(RegistryException.class, failure ->
            assertThat(failure.kind()).isEqualTo(RegistryException.Kind.UNREACHABLE));
  }

  @Test
  void eachHopIsResolvedExactlyOnce() {
    List<String> asked = new ArrayList<>();
    UpstreamAddresses addresses = new UpstreamAddresses(new RegistryAllowList(List.of("registry.example"), List.of()),
        host -> {
          asked.add(host);
          return List.of(InetAddress.getByName("140.82.112.33"));
        });

    addresses.ofHop(REGISTRY, URI.create("https://cdn.example/blob"), UpstreamAddresses.Hop.REDIRECT);
    addresses.ofRegistry(REGISTRY);

    assertThat(asked).containsExactly("cdn.example", "registry.example");
  }

  /** Names resolve by {@code answers} (comma-separated literals); IP literals are parsed; anything else is unknown. */
  private static UpstreamAddresses addresses(List<String> allowed, Map<String, String> answers) {
    return new UpstreamAddresses(new RegistryAllowList(allowed, List.of()), host -> {
      String answer = answers.get(host);
      if (answer == null && !host.matches("[0-9a-f.:]+")) {
        throw new UnknownHostException(host);
      }
      List<InetAddress> resolved = new ArrayList<>();
      for (String literal : Arrays.asList((answer != null ? answer : host).split(","))) {
        resolved.add(InetAddress.getByName(literal));
      }
      return resolved;
    });
  }
}
