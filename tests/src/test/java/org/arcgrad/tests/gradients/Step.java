package org.arcgrad.tests.gradients;

import java.util.List;
import java.util.function.Function;

/** What one node of a random expression does with its children's tensors; the name is what the formula prints. */
record Step(String name, Function<List<Built>, Built> apply) {
    @Override
    public String toString() {
        return name;
    }
}
