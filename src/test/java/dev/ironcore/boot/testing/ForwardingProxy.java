package dev.ironcore.boot.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A small real HTTP forwarding proxy on its own loopback address, as a load balancer or ingress in
 * front of the service: it passes each GET on from that same address, adding an
 * {@code X-Forwarded-For} line with the address it was called from (HAProxy's
 * {@code option forwardfor}: earlier lines are kept, so the service sees several). One request per
 * connection.
 */
public final class ForwardingProxy implements AutoCloseable {
  private final String address;
  private final InetSocketAddress upstream;
  private final ServerSocket listener;

  public ForwardingProxy(String address, InetSocketAddress upstream) throws IOException {
    this.address = address;
    this.upstream = upstream;
    this.listener = new ServerSocket(0, 50, InetAddress.getByName(address));
    Thread acceptor = new Thread(this::acceptLoop, "forwarding-proxy-" + address);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Where the next hop connects to reach this proxy. */
  public InetSocketAddress listenAddress() {
    return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
  }

  public int port() {
    return listener.getLocalPort();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Thread relay = new Thread(() -> forward(client), "forwarding-proxy-" + address + "-conn");
        relay.setDaemon(true);
        relay.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void forward(Socket client) {
    try (client; Socket next = new Socket()) {
      String head = readHead(client.getInputStream());
      String calledFrom = client.getInetAddress().getHostAddress();
      StringBuilder forwarded = new StringBuilder();
      for (String line : head.split("\r\n")) {
        if (!line.isEmpty() && !line.regionMatches(true, 0, "Connection:", 0, 11)) {
          forwarded.append(line).append("\r\n");
        }
      }
      forwarded.append("X-Forwarded-For: ").append(calledFrom).append("\r\nConnection: close\r\n\r\n");
      next.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
      next.connect(upstream, 5_000);
      next.getOutputStream().write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
      next.getOutputStream().flush();
      next.getInputStream().transferTo(client.getOutputStream());
    } catch (IOException e) {
      // the client sees its connection closed
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed before the request head ended");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
