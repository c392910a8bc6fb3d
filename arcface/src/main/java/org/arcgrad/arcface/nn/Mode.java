package org.arcgrad.arcface.nn;

/** Whether a forward pass trains (batch statistics, dropout on) or infers (running statistics, dropout off). */
public enum Mode {
    TRAIN, EVAL
}
