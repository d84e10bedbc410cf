package io.nativenio.it.programs;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.RandomAccessFile;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Netty 4.2's NIO transport: an echo server with many concurrent client connections (each sends its own
 * content in chunks and checks the echo), then a server that sends a multi-MiB file with
 * {@link DefaultFileRegion} (FileChannel.transferTo into the socket channel), checked by SHA-256.
 * Args: connections, bytes per connection, file size.
 */
public final class NettyEcho {
    static final Map<String, String> SEEN = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        int conns = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int perConn = args.length > 1 ? Integer.parseInt(args[1]) : 256 * 1024;
        int fileSize = args.length > 2 ? Integer.parseInt(args[2]) : 32 << 20;
        Report.start("NettyEcho", 200);

        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        EventLoopGroup clients = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            echo(boss, workers, clients, conns, perConn);
            fileRegion(boss, workers, clients, fileSize);
        } finally {
            clients.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        SEEN.forEach(Report::channelClass);
        Report.ok();
    }

    /** The JDK channel under a Netty NIO channel, and the selectors it is registered with. */
    static void record(String role, Channel ch) {
        SelectableChannel jc = (SelectableChannel) Report.call(ch, "javaChannel");
        SEEN.putIfAbsent(role, jc.getClass().getName());
        SelectionKey k = (SelectionKey) Report.call(ch, "selectionKey");
        if (k != null) SEEN.putIfAbsent(role + ".selector", k.selector().getClass().getName());
    }

    static void echo(EventLoopGroup boss, EventLoopGroup workers, EventLoopGroup clients, int conns, int perConn)
            throws Exception {
        ServerBootstrap sb = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                record("server.accepted", ctx.channel());
                            }

                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ctx.write(msg);
                            }

                            @Override
                            public void channelReadComplete(ChannelHandlerContext ctx) {
                                ctx.flush();
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable t) {
                                t.printStackTrace();
                                ctx.close();
                            }
                        });
                    }
                });
        Channel server = sb.bind("127.0.0.1", 0).sync().channel();
        record("server.ServerSocketChannel", server);
        int port = ((java.net.InetSocketAddress) server.localAddress()).getPort();

        AtomicLong echoed = new AtomicLong();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        Bootstrap cb = new Bootstrap().group(clients).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
        List<ChannelFuture> connects = new ArrayList<>();
        for (int i = 0; i < conns; i++) {
            final int n = i;
            final byte[] data = Report.content(1000 + n, perConn);
            CompletableFuture<Void> f = new CompletableFuture<>();
            done.add(f);
            Bootstrap b = cb.clone().handler(new ChannelInboundHandlerAdapter() {
                final MessageDigest md = sha();
                long got;

                @Override
                public void channelActive(ChannelHandlerContext ctx) {
                    record("client.SocketChannel", ctx.channel());
                    // send in chunks of varying size
                    int off = 0, c = 0;
                    while (off < data.length) {
                        int len = Math.min(data.length - off, 1 + (c++ * 7919 + n) % 16384);
                        ctx.write(Unpooled.wrappedBuffer(data, off, len));
                        off += len;
                    }
                    ctx.flush();
                }

                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ByteBuf b = (ByteBuf) msg;
                    got += b.readableBytes();
                    md.update(b.nioBuffer());
                    b.release();
                    if (got >= data.length) {
                        String have = HexFormat.of().formatHex(md.digest());
                        if (got == data.length && have.equals(Report.sha256(data))) {
                            echoed.addAndGet(got);
                            f.complete(null);
                        } else {
                            f.completeExceptionally(new IllegalStateException("connection " + n + ": " + got
                                    + " bytes echoed, want " + data.length + ", sha256 match: "
                                    + have.equals(Report.sha256(data))));
                        }
                        ctx.close();
                    }
                }

                @Override
                public void channelInactive(ChannelHandlerContext ctx) {
                    f.completeExceptionally(new IllegalStateException("connection " + n + " closed after " + got));
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable t) {
                    f.completeExceptionally(t);
                    ctx.close();
                }
            });
            ChannelFuture connect = b.connect("127.0.0.1", port);
            // a failed connect never makes the channel active or inactive: end its echo here, not by the timeout
            connect.addListener((ChannelFutureListener) c -> {
                if (!c.isSuccess()) f.completeExceptionally(c.cause());
            });
            connects.add(connect);
        }
        Report.sample("netty.echo", () -> {
            List<Selector> l = new ArrayList<>();
            SelectionKey k = (SelectionKey) Report.call(server, "selectionKey");
            if (k != null) l.add(k.selector());
            return l;
        });
        Report.awaitAll(done, 120, "echo");
        for (ChannelFuture c : connects) c.channel().closeFuture().await(5, TimeUnit.SECONDS);
        server.close().sync();
        Report.printSamples();
        Report.result("echo.connections", conns);
        Report.result("echo.bytes", echoed.get());
        Report.check(echoed.get() == (long) conns * perConn, "echoed " + echoed.get());
    }

    static void fileRegion(EventLoopGroup boss, EventLoopGroup workers, EventLoopGroup clients, int size)
            throws Exception {
        Path file = Files.createTempFile("nativenio-it", ".bin");
        byte[] data = Report.content(4242, size);
        Files.write(file, data);
        ServerBootstrap sb = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) throws Exception {
                                RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r");
                                ctx.writeAndFlush(new DefaultFileRegion(raf.getChannel(), 0, raf.length()))
                                        .addListener((ChannelFutureListener) f -> {
                                            raf.close();
                                            if (!f.isSuccess()) f.cause().printStackTrace();
                                            f.channel().close();
                                        });
                            }
                        });
                    }
                });
        Channel server = sb.bind("127.0.0.1", 0).sync().channel();
        int port = ((java.net.InetSocketAddress) server.localAddress()).getPort();
        CompletableFuture<Long> done = new CompletableFuture<>();
        MessageDigest md = sha();
        long[] got = {0};
        new Bootstrap().group(clients).channel(NioSocketChannel.class)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf b = (ByteBuf) msg;
                        got[0] += b.readableBytes();
                        md.update(b.nioBuffer());
                        b.release();
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        done.complete(got[0]);
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable t) {
                        done.completeExceptionally(t);
                    }
                }).connect("127.0.0.1", port).sync();
        long n;
        try {
            n = done.get(120, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            e.getCause().printStackTrace();
            Report.fail("file region: " + e.getCause());
            return;
        }
        server.close().sync();
        Files.delete(file);
        String have = HexFormat.of().formatHex(md.digest());
        Report.check(n == size, "file region: " + n + " bytes, want " + size);
        Report.check(have.equals(Report.sha256(data)), "file region: sha256 differs");
        Report.result("fileRegion.bytes", n);
        Report.result("fileRegion.sha256", "match");
    }

    static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
