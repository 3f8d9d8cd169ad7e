package dev.ironcore.boot.imageproxy;

import io.netty.channel.ChannelException;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollSocketChannelConfig;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * How a connection's socket is set while the kernel sends a blob file into it (sendfile), and set back
 * once the file is sent:
 *
 * <ul>
 *   <li>TCP_CORK, as nginx's {@code tcp_nopush}: the kernel then sends the file in full segments instead of
 *       whatever each sendfile call had at hand, and wakes the client far less often (a cached 1 GiB layer
 *       over loopback on the 2-core development machine: 1.6–2.0 GB/s without, 1.7–2.3 GB/s with, nginx
 *       2.3–2.6 GB/s with and 1.6–1.7 GB/s without). Uncorking pushes the last partial segment out at once,
 *       so the next response on the connection is not held back.
 *   <li>TCP_NOTSENT_LOWAT of {@code boot.blob-unsent-bytes}: the socket takes no more of the file while
 *       that many bytes wait in it unsent. Without a bound a client that reads slower than we send has its
 *       whole send buffer queued (4 MiB here), which the kernel passes on a little per acknowledgement, in
 *       many small sends that cost everyone CPU: 100 clients hashing one cached 256 MiB layer took 30.5–32.2
 *       s that way, behind nginx 26.5–27.2 (its own pace keeps its queues short). A small bound moves the
 *       sending into our calls (128–256 KiB: the service's CPU doubles) and lets a lone fast reader run dry
 *       between two calls; 1 MiB keeps both in check (bench/README.md, rack-bench). The rest of the file
 *       waits in the page cache, where it costs nothing; bytes in flight are not bounded (that is the
 *       congestion window's business), so a distant client is not slowed.
 * </ul>
 *
 * <p>Only Netty's native epoll transport can set them; elsewhere this does nothing. Vert.x has no public
 * way to reach a connection's channel: {@link ConnectionBase} is its internal base of every connection.
 */
final class SendfileSocket {
  private SendfileSocket() {}

  /**
   * Corks the connection's socket and bounds its unsent bytes ({@code unsentBytes}; 0 leaves the
   * kernel's {@code net.ipv4.tcp_notsent_lowat}); the returned action sets both back (call it once the
   * file is sent).
   */
  static Runnable prepare(HttpConnection connection, long unsentBytes) {
    if (!(connection instanceof ConnectionBase base) || !(base.channel() instanceof EpollSocketChannel channel)) {
      return () -> { };
    }
    EpollSocketChannelConfig config = channel.config();
    try {
      long unsentBefore = config.getTcpNotSentLowAt();
      config.setTcpCork(true);
      if (unsentBytes > 0) {
        config.setTcpNotSentLowAt(unsentBytes);
      }
      return () -> restore(config, unsentBefore);
    } catch (ChannelException closed) { // the client went away: there is nothing to set
      return () -> { };
    }
  }

  private static void restore(EpollSocketChannelConfig config, long unsentBefore) {
    try {
      config.setTcpCork(false);
      config.setTcpNotSentLowAt(unsentBefore);
    } catch (ChannelException closed) {
      // nothing to set back on a closed socket
    }
  }
}
