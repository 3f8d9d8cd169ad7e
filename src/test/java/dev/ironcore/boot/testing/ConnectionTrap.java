package dev.ironcore.boot.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/** A listener that accepts and counts connections, and closes each at once. */
public final class ConnectionTrap implements AutoCloseable {
  private final ServerSocket listener;
  private final AtomicInteger connections = new AtomicInteger();

  public ConnectionTrap(InetAddress address) throws IOException {
    this(address, 0);
  }

  public ConnectionTrap(InetAddress address, int port) throws IOException {
    listener = new ServerSocket(port, 50, address);
    Thread thread = new Thread(this::accept, "trap-" + address.getHostAddress());
    thread.setDaemon(true);
    thread.start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  public int connections() {
    return connections.get();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try (Socket ignored = listener.accept()) {
        connections.incrementAndGet();
      } catch (IOException closed) {
        return;
      }
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
