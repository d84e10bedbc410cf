package io.nativenio.it;

import io.nativenio.it.containers.Compat;
import io.nativenio.it.containers.ContainerTest;
import io.nativenio.it.containers.OnEachJdkAndOldGlibc;
import io.nativenio.it.containers.ProgramRun;

/** Netty 4.2's NIO transport: echo over many connections, and a DefaultFileRegion download. */
class NettyIT extends ContainerTest {
    @OnEachJdkAndOldGlibc
    void echoAndFileRegion(String jdk) throws Exception {
        Compat.record("Netty 4.2 NIO", jdk, "echo: 200 connections x 256 KiB; DefaultFileRegion: 32 MiB;"
                + " SHA-256 checked", () ->
                ProgramRun.run(jdk, 240, "NettyEcho", "200", String.valueOf(256 * 1024), String.valueOf(32 << 20))
                        .assertPassedOnProvider("server.ServerSocketChannel", "server.ServerSocketChannel.selector",
                                "server.accepted", "server.accepted.selector", "client.SocketChannel",
                                "client.SocketChannel.selector")
                        .assertResult("echo.connections", "200")
                        .assertResult("echo.bytes", String.valueOf(200L * 256 * 1024))
                        .assertResult("fileRegion.bytes", String.valueOf(32L << 20))
                        .assertResult("fileRegion.sha256", "match"));
    }
}
