package io.nativenio.stress;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One call of a generated API sequence: an operation and three numbers that {@link World} turns into
 * its target (an index into the channels, selectors or keys opened so far) and its arguments.
 */
record Step(Op op, int a, int b, int c) {

    /** The operations, with their weights in a generated sequence. */
    enum Op {
        OPEN_TCP(3), OPEN_SERVER(3), OPEN_UDP(3), OPEN_UNIX(2), OPEN_PIPE(2), OPEN_SELECTOR(2),
        BIND(6), CONNECT(6), FINISH_CONNECT(3), ACCEPT(4), CONFIGURE_BLOCKING(5), REGISTER(6), INTEREST_OPS(4),
        CANCEL(2), SELECT_NOW(5), SELECT(3), READ(6), WRITE(6), SHUTDOWN(2), CLOSE(3), CLOSE_SELECTOR(1),
        SET_OPTION(4), GET_OPTION(3), ADDRESS(3), SEND(3), RECEIVE(3), DISCONNECT(1), WAKEUP(1), BAD_INPUT(3),
        STATE(4);

        final int weight;

        Op(int weight) {
            this.weight = weight;
        }
    }

    private static final Op[] TABLE;

    static {
        List<Op> table = new ArrayList<>();
        for (Op op : Op.values()) {
            for (int i = 0; i < op.weight; i++) {
                table.add(op);
            }
        }
        TABLE = table.toArray(new Op[0]);
    }

    static List<Step> generate(SplittableRandom random, int length) {
        List<Step> steps = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            steps.add(new Step(TABLE[random.nextInt(TABLE.length)], random.nextInt(1 << 16), random.nextInt(1 << 16),
                    random.nextInt(1 << 16)));
        }
        return steps;
    }

    @Override
    public String toString() {
        return op + "(" + a + "," + b + "," + c + ")";
    }
}
