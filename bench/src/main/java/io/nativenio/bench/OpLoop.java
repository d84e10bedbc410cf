package io.nativenio.bench;

import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Runs one JMH benchmark of this module outside JMH, a given number of times, for the measures a busy machine
 * distorts least (bench/count): the syscalls of the operations (strace: the count for W warm-up and N measured
 * operations, less the count for W and 0, whatever the JVM's start-up and the benchmark's set-up cost), and the
 * benchmark thread's CPU time per measured operation, printed as {@code cpu_ns_per_op=}.
 *
 * <pre>java -Dbench.nativenio.jar=JAR -cp benchmarks.jar io.nativenio.bench.OpLoop Class.method provider W N [param=value...]</pre>
 *
 * Parameters not given take the first value of their {@code @Param}.
 */
public final class OpLoop {
    private OpLoop() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length < 4) {
            throw new IllegalArgumentException("usage: OpLoop Class.method provider warmup ops [param=value...]");
        }
        int dot = args[0].indexOf('.');
        Class<?> type = Class.forName(OpLoop.class.getPackageName() + "." + args[0].substring(0, dot));
        Object bench = type.getConstructor().newInstance();
        for (Field f : type.getFields()) {
            Param p = f.getAnnotation(Param.class);
            if (p != null) {
                set(f, bench, p.value()[0]);
            }
        }
        set(type.getField("provider"), bench, args[1]);
        for (int i = 4; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            set(type.getField(kv[0]), bench, kv[1]);
        }
        MethodHandle op = MethodHandles.publicLookup().findVirtual(type, args[0].substring(dot + 1),
                MethodType.methodType(int.class)).asType(MethodType.methodType(int.class, Object.class));
        int warmup = Integer.parseInt(args[2]);
        int ops = Integer.parseInt(args[3]);
        invokeAnnotated(type, bench, Setup.class);
        long sink = 0;
        for (int i = 0; i < warmup; i++) {
            sink += (int) op.invokeExact(bench);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < ops; i++) {
            sink += (int) op.invokeExact(bench);
        }
        cpu = threads.getCurrentThreadCpuTime() - cpu;
        invokeAnnotated(type, bench, TearDown.class);
        // The thread's CPU time, not the wall clock: time spent waiting for a CPU on a busy machine is not in it.
        System.out.println(args[0] + " " + args[1] + ": " + warmup + " + " + ops + " ops, cpu_ns_per_op="
                + (ops == 0 ? 0 : cpu / ops) + " (" + sink + ")");
    }

    private static void set(Field f, Object bench, String value) throws IllegalAccessException {
        f.set(bench, f.getType() == int.class ? (Object) Integer.parseInt(value) : value);
    }

    private static void invokeAnnotated(Class<?> type, Object bench, Class<? extends java.lang.annotation.Annotation> a)
            throws ReflectiveOperationException {
        for (Method m : type.getMethods()) {
            if (m.isAnnotationPresent(a)) {
                m.invoke(bench);
            }
        }
    }
}
