package dev.ironcore.boot.api.schema;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.time.OffsetDateTime;
import java.util.ArrayList;

/**
 * CRD schema of a list of metav1.Condition with the validation Kubernetes declares for it (the
 * generator gives fabric8's Condition none), for {@code @SchemaFrom} on a {@code List<Condition>}
 * field. Schema only: an API server holding these CRDs refuses a status that breaks these rules.
 */
public class ConditionListSchema extends ArrayList<ConditionListSchema.Condition> {
  /** One metav1.Condition. */
  public static class Condition {
    @Required
    public OffsetDateTime lastTransitionTime;

    @Required
    @Size(max = 32768)
    public String message;

    @Min(0)
    public Long observedGeneration;

    @Required
    @Size(min = 1, max = 1024)
    @Pattern("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$")
    public String reason;

    @Required
    public Status status;

    @Required
    @Size(max = 316)
    @Pattern("^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$")
    public String type;
  }

  /** metav1.ConditionStatus. */
  public enum Status {
    @JsonProperty("True") TRUE,
    @JsonProperty("False") FALSE,
    @JsonProperty("Unknown") UNKNOWN
  }
}
