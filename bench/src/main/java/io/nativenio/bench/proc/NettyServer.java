package io.nativenio.bench.proc;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Netty's NIO transport on one event loop (it opens its selector and channels through
 * {@code SelectorProvider.provider()}, so the provider switch reaches it unmodified).
 * {@code NettyServer echo} echoes what it reads; {@code NettyServer http} answers every request with
 * {@link Announce#HELLO}, keeping the connection alive. A second argument, {@code epoll} or {@code io_uring},
 * runs the same server on Netty's own native transport instead, which no {@code SelectorProvider} serves: the
 * limit the NIO transport is measured against.
 */
public final class NettyServer {
    private NettyServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        String usage = "usage: NettyServer echo|http [epoll|io_uring]";
        ChannelHandler handler = switch (args.length == 1 || args.length == 2 ? args[0] : "") {
            case "echo" -> new Echo();
            case "http" -> null;
            default -> throw new IllegalArgumentException(usage);
        };
        String transport = args.length == 2 ? args[1] : "nio";
        IoHandlerFactory io = switch (transport) {
            case "nio" -> NioIoHandler.newFactory();
            case "epoll" -> EpollIoHandler.newFactory();
            case "io_uring" -> IoUringIoHandler.newFactory();
            default -> throw new IllegalArgumentException(usage);
        };
        Class<? extends ServerChannel> channel = switch (transport) {
            case "nio" -> NioServerSocketChannel.class;
            case "epoll" -> EpollServerSocketChannel.class;
            default -> IoUringServerSocketChannel.class;
        };
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, io);
        Channel listener = new ServerBootstrap()
                .group(group)
                .channel(channel)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (handler != null) {
                            ch.pipeline().addLast(handler);
                        } else {
                            ch.pipeline().addLast(new HttpServerCodec(), new Hello());
                        }
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        int port = ((InetSocketAddress) listener.localAddress()).getPort();
        if (transport.equals("nio")) {
            Announce.listening(port);
        } else {
            Announce.listening(port, "netty-" + transport);
        }
        listener.closeFuture().sync();
    }

    /** Flushes once per read burst, as Netty's examples do; closes the connection on any error. */
    private abstract static class FlushingHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    @ChannelHandler.Sharable
    private static final class Echo extends FlushingHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }
    }

    private static final class Hello extends FlushingHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest request) {
                    respond(ctx, request);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private static void respond(ChannelHandlerContext ctx, HttpRequest request) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(Announce.HELLO));
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, Announce.HELLO.length);
            if (HttpUtil.isKeepAlive(request)) {
                ctx.write(response);
            } else {
                ctx.write(response).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
