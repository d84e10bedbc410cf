package io.nativenio.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CandidateRuleTest {
    @TempDir
    Path tree;

    @Test
    void everyAndMatchingPickTestFilesOnly() throws Exception {
        file("java/nio/channels/Selector/A.java", "/*\n * @test\n * @run main A\n */\nclass A {}");
        file("java/nio/channels/Selector/Lib.java", "/* a library, no tag */ class Lib { String s = \"@testing\"; }");
        file("java/nio/channels/Selector/sub/B.java", "/* @test */ class B {}");
        file("java/nio/channels/nativenio/ProviderInUse.java", "/* @test */ class ProviderInUse {}");
        file("java/net/Socket/C.java", "/* @test */ class C { java.nio.channels.SocketChannel sc; }");
        file("java/net/Socket/D.java", "/* @test */ class D { java.net.Socket s; }");
        file("java/net/Socket/E.java", "/*\n @test\n */\nclass E { Object o = s.getChannel(); }");
        CandidateRule rule = CandidateRule.parse(List.of("# rule", "every java/nio/channels",
                "matching java/net \\b(SocketChannel|ServerSocketChannel|DatagramChannel)\\b|getChannel\\(\\)"));
        assertEquals(List.of("java/net/Socket/C.java", "java/net/Socket/E.java", "java/nio/channels/Selector/A.java",
                "java/nio/channels/Selector/sub/B.java"), List.copyOf(rule.candidates(tree)));
    }

    @Test
    void pathsAreFilesOrFoldersCommaSeparated() throws Exception {
        file("java/nio/channels/ConfigureBlocking.java", "/* @test */");
        file("java/nio/channels/Other.java", "/* @test */");
        file("jdk/net/F.java", "/* @test */");
        file("jdk/net/Sockets/G.java", "/* @test */");
        assertEquals(Set.of("java/nio/channels/ConfigureBlocking.java", "jdk/net/F.java", "jdk/net/Sockets/G.java"),
                CandidateRule.parse(List.of("every java/nio/channels/ConfigureBlocking.java,jdk/net")).candidates(tree));
    }

    @Test
    void refusesBadRulesAndMissingPaths() throws Exception {
        for (String bad : List.of("all java/nio", "every", "matching java/net", "matching java/net (unclosed"))
            assertThrows(SetupException.class, () -> CandidateRule.parse(List.of(bad)), bad);
        assertThrows(SetupException.class, () -> CandidateRule.parse(List.of("every java/nope")).candidates(tree));
    }

    private void file(String path, String text) throws Exception {
        Path p = tree.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }
}
