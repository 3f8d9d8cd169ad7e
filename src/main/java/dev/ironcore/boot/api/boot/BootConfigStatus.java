package dev.ironcore.boot.api.boot;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ironcore.boot.api.schema.ConditionListSchema;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Status shared by IPXEBootConfig and HTTPBootConfig: a state and metav1 conditions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BootConfigStatus {
  private String state;
  @SchemaFrom(type = ConditionListSchema.class)
  private List<Condition> conditions = new ArrayList<>();

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? new ArrayList<>() : conditions;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BootConfigStatus other
        && Objects.equals(state, other.state)
        && Objects.equals(conditions, other.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(state, conditions);
  }
}
