/**
 * What nativenio shows of a running program (docs/observability.md): JFR events and the live counters of each
 * provider, published as its MXBean. The channel core calls in through three small doors that name neither
 * jdk.jfr nor java.management, both optional modules: {@link io.nativenio.observe.Events} (the hooks of the
 * channels and the virtual-thread parker), {@link io.nativenio.observe.SelectorObserver} (the selector's) and
 * {@link io.nativenio.observe.Counters}. Only {@code Jfr} and the event classes name jdk.jfr, only {@code Jmx}
 * names java.management, and neither is loaded where its module is missing ({@code Support}).
 *
 * <p>A new event (for instance a report of the compatibility-testing mode) is a class here extending
 * {@code jdk.jfr.Event}, named {@code io.nativenio.Something}, in category {"Java Application", "nativenio"},
 * listed in {@code Jfr.TYPES}, created in {@code Jfr.begin} and committed by a {@code Jfr} method behind an
 * {@code Events} method that does nothing for a null event.
 */
package io.nativenio.observe;
