{{/*
Checks that values.schema.json cannot express (they need several values at once). Each failure says what to change.
*/}}
{{- define "logbridge.validate" -}}
{{- $v := .Values -}}
{{- $secretsPath := include "logbridge.secretsPath" . -}}
{{- $state := dict "maxDrainMs" 0 "drainConnector" "" -}}
{{- $names := dict -}}
{{- $envNames := dict -}}
{{- range $v.extraEnv -}}{{- $_ := set $envNames .name true -}}{{- end -}}
{{- range $c := $v.connectors -}}
{{- if hasKey $names $c.name -}}
{{- fail (printf "connectors: the name %q appears twice; each connector needs its own name (its consumer group is logbridge-<name>)" $c.name) -}}
{{- end -}}
{{- $_ := set $names $c.name true -}}
{{- $drain := toString (dig "drain.timeout.ms" "30000" $c.config) -}}
{{- if not (regexMatch "^[0-9]+$" $drain) -}}
{{- fail (printf "connector %s: drain.timeout.ms must be a literal number of milliseconds here (got %q): terminationGracePeriodSeconds is checked against it" $c.name $drain) -}}
{{- end -}}
{{- if gt (int64 $drain) (int64 (get $state "maxDrainMs")) -}}
{{- $_ := set $state "maxDrainMs" (int64 $drain) -}}
{{- $_ := set $state "drainConnector" $c.name -}}
{{- end -}}
{{- range $key, $value := $c.config -}}
{{- range $ref := regexFindAll "\\$\\{file:[^}]*\\}" (toString $value) -1 -}}
{{- $path := trimSuffix "}" (trimPrefix "${file:" $ref) | trim -}}
{{- $mounted := false -}}
{{- if and $v.secrets.existingSecret (hasPrefix (printf "%s/" $secretsPath) $path) -}}
{{- $mounted = true -}}
{{- end -}}
{{- range $v.extraVolumeMounts -}}
{{- if or (eq $path .mountPath) (hasPrefix (printf "%s/" (trimSuffix "/" .mountPath)) $path) -}}
{{- $mounted = true -}}
{{- end -}}
{{- end -}}
{{- if and (not $mounted) (hasPrefix (printf "%s/" $secretsPath) $path) -}}
{{- fail (printf "connector %s: %s refers to %s, but secrets.existingSecret is empty so nothing is mounted on %s: set secrets.existingSecret to the Secret holding the key %s" $c.name $key $ref $secretsPath (base $path)) -}}
{{- end -}}
{{- if not $mounted -}}
{{- fail (printf "connector %s: %s refers to %s, which is in no volume of the pod: put it in the Secret secrets.existingSecret (then refer to %s/<key>) or mount it with extraVolumes and extraVolumeMounts" $c.name $key $ref $secretsPath) -}}
{{- end -}}
{{- end -}}
{{- range $ref := regexFindAll "\\$\\{env:[^}]*\\}" (toString $value) -1 -}}
{{- $name := trimSuffix "}" (trimPrefix "${env:" $ref) | trim -}}
{{- if and (not $v.extraEnvFrom) (not (hasKey $envNames $name)) -}}
{{- fail (printf "connector %s: %s refers to %s, but the pod has no variable %s: add it to extraEnv (or extraEnvFrom)" $c.name $key $ref $name) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- $drainS := div (add (get $state "maxDrainMs") 999) 1000 -}}
{{- $needed := add $drainS 15 -}}
{{- if lt (int64 $v.terminationGracePeriodSeconds) (int64 $needed) -}}
{{- fail (printf "terminationGracePeriodSeconds (%v) must exceed the longest drain.timeout.ms of the connectors (%v ms, connector %s) by at least 15 s for the last commit and leaving the group: set it to %v or more, or lower drain.timeout.ms" $v.terminationGracePeriodSeconds (get $state "maxDrainMs") (get $state "drainConnector") $needed) -}}
{{- end -}}
{{- $limitMiB := include "logbridge.memoryMiB" $v.resources.limits.memory | int64 -}}
{{- $heapMiB := include "logbridge.maxOldSpaceMiB" . | int64 -}}
{{- if gt $heapMiB (div $limitMiB 2) -}}
{{- fail (printf "heap.maxOldSpaceSizeMiB (%v) must be at most half of resources.limits.memory (%v MiB): the Node binary, the young generation and Buffers outside the heap need the rest; raise the limit or lower the heap" $heapMiB $limitMiB) -}}
{{- end -}}
{{- if lt $heapMiB 64 -}}
{{- fail (printf "the V8 heap would be %v MiB: resources.limits.memory (%v MiB) is too small for logbridge; give it at least 256Mi" $heapMiB $limitMiB) -}}
{{- end -}}
{{- if and $v.worker.restAuth.enabled (eq $v.worker.restAuth.secretKey $v.worker.restAuth.metricsSecretKey) -}}
{{- fail (printf "worker.restAuth.metricsSecretKey must differ from worker.restAuth.secretKey (%s): the scrape token must not be the admin token" $v.worker.restAuth.secretKey) -}}
{{- end -}}
{{- if and $v.worker.restAuth.enabled $v.worker.restAuth.existingSecret (eq $v.worker.restAuth.existingSecret $v.secrets.existingSecret) -}}
{{- fail (printf "worker.restAuth.existingSecret must not be secrets.existingSecret (%s): that one is mounted as files that connectors may refer to" $v.secrets.existingSecret) -}}
{{- end -}}
{{- if and $v.autoscaling.enabled (gt (int64 $v.autoscaling.minReplicas) (int64 $v.autoscaling.maxReplicas)) -}}
{{- fail (printf "autoscaling.minReplicas (%v) is above autoscaling.maxReplicas (%v)" $v.autoscaling.minReplicas $v.autoscaling.maxReplicas) -}}
{{- end -}}
{{- if and $v.podDisruptionBudget.enabled (not (kindIs "invalid" $v.podDisruptionBudget.minAvailable)) -}}
{{- $replicas := ternary $v.autoscaling.minReplicas $v.replicaCount $v.autoscaling.enabled -}}
{{- if ge (int64 $v.podDisruptionBudget.minAvailable) (int64 $replicas) -}}
{{- fail (printf "podDisruptionBudget.minAvailable (%v) must be below the replica count (%v), or no pod could ever be evicted (node drains would hang)" $v.podDisruptionBudget.minAvailable $replicas) -}}
{{- end -}}
{{- end -}}
{{- end -}}
