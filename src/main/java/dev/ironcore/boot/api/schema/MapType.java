package dev.ironcore.boot.api.schema;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * {@code x-kubernetes-map-type} of the object schema made from the annotated class: crd-generator 7.4
 * has no annotation for it, so the CRD generation in the tests writes it after generating.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface MapType {
  /** {@code atomic} or {@code granular}. */
  String value();
}
