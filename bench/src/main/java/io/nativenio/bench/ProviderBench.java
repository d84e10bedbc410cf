package io.nativenio.bench;

import java.nio.channels.spi.SelectorProvider;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every benchmark here shares (JMH reads these annotations from the superclass): average ns/op, one
 * fork per provider, and the {@code provider} parameter: jdk and nativenio by default, and jdk-b too when
 * bench/run asks for the noise band ({@code -p provider=jdk,nativenio,jdk-b}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED")
public abstract class ProviderBench {
    @Param({"jdk", "nativenio"})
    public String provider;

    SelectorProvider provider() throws ReflectiveOperationException {
        return Providers.of(provider);
    }
}
