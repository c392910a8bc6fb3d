package org.arcgrad.autodiff;

import java.util.EnumMap;
import java.util.Map;

/**
 * The gradient rule of each op. {@link #STANDARD} reads the rules stated in {@link Op}; a test may
 * derive a table with one rule replaced, to show that the property tests catch a wrong rule.
 */
public final class GradientTable {
    public static final GradientTable STANDARD = new GradientTable(new EnumMap<>(Op.class));

    private final Map<Op, Op.GradRule> overrides;

    private GradientTable(Map<Op, Op.GradRule> overrides) {
        this.overrides = overrides;
    }

    /** A copy of this table with {@code op}'s rule replaced. */
    public GradientTable with(Op op, Op.GradRule rule) {
        EnumMap<Op, Op.GradRule> m = new EnumMap<>(Op.class);
        m.putAll(overrides);
        m.put(op, rule);
        return new GradientTable(m);
    }

    /** The rule for {@code op}, or null when no gradient flows through it. */
    public Op.GradRule rule(Op op) {
        return overrides.containsKey(op) ? overrides.get(op) : op.gradRule();
    }
}
