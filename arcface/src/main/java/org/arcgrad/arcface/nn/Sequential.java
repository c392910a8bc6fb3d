package org.arcgrad.arcface.nn;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.arcgrad.autodiff.Tensor;

/** Layers applied in order; a model is one of these. */
public final class Sequential implements Layer {
    private final List<Layer> layers;

    public Sequential(List<Layer> layers) {
        this.layers = List.copyOf(layers);
        Set<String> names = new LinkedHashSet<>();
        for (ParameterSpec p : parameters()) {
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("two layers own a parameter named " + p.name());
            }
        }
    }

    @Override
    public Tensor forward(Tensor x, Pass pass) {
        for (Layer l : layers) {
            x = l.forward(x, pass);
        }
        return x;
    }

    @Override
    public int outFeatures(int in) {
        for (Layer l : layers) {
            in = l.outFeatures(in);
        }
        return in;
    }

    @Override
    public List<ParameterSpec> parameters() {
        List<ParameterSpec> p = new ArrayList<>();
        for (Layer l : layers) {
            p.addAll(l.parameters());
        }
        return p;
    }

    public List<Layer> layers() {
        return layers;
    }

    @Override
    public String describe() {
        StringBuilder b = new StringBuilder();
        for (Layer l : layers) {
            b.append(b.length() == 0 ? "" : " → ").append(l.describe());
        }
        return b.toString();
    }
}
