package dev.ironcore.boot.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashSet;
import java.util.Set;

/**
 * A TCP relay on loopback that a test can cut: every open connection is closed at once and new ones
 * are closed as soon as they are accepted, until it is restored. Put between the controllers and the
 * mock API, it takes the API away from them (watches and all) while the test's own client still
 * reaches it.
 */
public final class TcpRelay implements AutoCloseable {
  private final InetSocketAddress upstream;
  private final ServerSocket listener;
  /** Guards {@link #cut} and {@link #open}: a connection accepted during a cut must not survive it. */
  private final Object lock = new Object();
  private final Set<Socket> open = new HashSet<>();
  private boolean cut;

  public TcpRelay(InetSocketAddress upstream) throws IOException {
    this.upstream = upstream;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    daemon("tcp-relay-" + listener.getLocalPort(), this::acceptLoop).start();
  }

  /** {@code http://127.0.0.1:<port>/}: where a client that should go through the relay connects. */
  public String url() {
    return "http://" + listener.getInetAddress().getHostAddress() + ":" + listener.getLocalPort() + "/";
  }

  /** Closes every relayed connection and refuses new ones; returns how many connections were open. */
  public int cut() {
    synchronized (lock) {
      cut = true;
      int sockets = open.size();
      open.forEach(TcpRelay::closeQuietly);
      open.clear();
      return sockets / 2; // each connection is a client and an upstream socket
    }
  }

  /** Relays new connections again. */
  public void restore() {
    synchronized (lock) {
      cut = false;
    }
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        relay(listener.accept());
      } catch (IOException e) {
        // the listener was closed, or one connection failed: the loop condition tells which
      }
    }
  }

  private void relay(Socket client) throws IOException {
    synchronized (lock) {
      if (cut) {
        closeQuietly(client);
        return;
      }
      Socket server;
      try {
        server = new Socket(upstream.getAddress(), upstream.getPort());
      } catch (IOException e) {
        closeQuietly(client);
        throw e;
      }
      open.add(client);
      open.add(server);
      daemon("tcp-relay-up-" + client.getPort(), () -> pump(client, server)).start();
      daemon("tcp-relay-down-" + client.getPort(), () -> pump(server, client)).start();
    }
  }

  /** Copies bytes one way; when either side ends, both sockets close, as a broken connection would. */
  private void pump(Socket from, Socket to) {
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException e) {
      // closed by a cut or by either end
    } finally {
      synchronized (lock) {
        open.remove(from);
        open.remove(to);
      }
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    return thread;
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    cut();
  }
}
