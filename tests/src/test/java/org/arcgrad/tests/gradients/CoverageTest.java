package org.arcgrad.tests.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.Op;
import org.junit.jupiter.api.Test;

/**
 * The op list and the composite list are themselves under test: adding an op with a gradient
 * rule, or a public composite to Functional, without a gradient property fails here, naming it.
 * A property is a catalogue entry (OpCases, CompositeCases) or a test class in this package
 * annotated {@link Covers}.
 */
class CoverageTest {
    @Test
    void everyOpWithAGradientRuleHasAProperty() {
        Set<Op> covered = EnumSet.noneOf(Op.class);
        covered.addAll(OpCases.catalogue().keySet());
        for (Covers c : coversAnnotations()) {
            covered.addAll(Arrays.asList(c.ops()));
        }
        List<String> missing = new ArrayList<>();
        for (Op op : Op.values()) {
            if (op.gradRule() != null && !covered.contains(op)) {
                missing.add(op.name());
            }
        }
        assertEquals(List.of(), missing, "ops with a gradient rule but no gradient property: add them to OpCases "
                + "(or a test class annotated @Covers)");
    }

    @Test
    void everyPublicCompositeOfFunctionalHasAProperty() {
        Set<String> covered = new TreeSet<>(CompositeCases.catalogue().keySet());
        for (Covers c : coversAnnotations()) {
            covered.addAll(Arrays.asList(c.composites()));
        }
        Set<String> missing = new TreeSet<>();
        for (Method m : Functional.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers()) && !covered.contains(m.getName())) {
                missing.add(m.getName());
            }
        }
        assertEquals(Set.of(), missing, "composites of Functional without a gradient property: add them to CompositeCases");
    }

    /** The catalogues must only name real ops and composites, or a typo would pass as coverage. */
    @Test
    void theCataloguesNameOnlyWhatExists() {
        for (Op op : OpCases.catalogue().keySet()) {
            assertTrue(op.gradRule() != null, op + " is in OpCases but has no gradient rule");
        }
        Set<String> names = new TreeSet<>();
        for (Method m : Functional.class.getDeclaredMethods()) {
            names.add(m.getName());
        }
        for (String c : CompositeCases.catalogue().keySet()) {
            assertTrue(names.contains(c), c + " is in CompositeCases but is not a method of Functional");
        }
        assertTrue(coversAnnotations().size() >= 1, "no @Covers class found: the package scan is broken");
    }

    /** @Covers of every class compiled into this package (tests run from a directory of classes). */
    private static List<Covers> coversAnnotations() {
        String pkg = CoverageTest.class.getPackageName();
        List<Covers> found = new ArrayList<>();
        try {
            for (URL url : Collections.list(CoverageTest.class.getClassLoader().getResources(pkg.replace('.', '/')))) {
                if (!url.getProtocol().equals("file")) {
                    throw new AssertionError("cannot list " + url + ": CoverageTest expects the tests as a directory of classes");
                }
                File[] files = new File(url.toURI()).listFiles((dir, name) -> name.endsWith(".class") && !name.contains("$"));
                for (File f : files == null ? new File[0] : files) {
                    Class<?> c = Class.forName(pkg + "." + f.getName().replace(".class", ""));
                    Covers covers = c.getAnnotation(Covers.class);
                    if (covers != null) {
                        found.add(covers);
                    }
                }
            }
        } catch (IOException | URISyntaxException | ClassNotFoundException e) {
            throw new AssertionError("cannot scan package " + pkg, e);
        }
        return found;
    }
}
