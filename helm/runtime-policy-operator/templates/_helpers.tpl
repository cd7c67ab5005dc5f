{{/* Chart name, truncated to fit label values. */}}
{{- define "rpo.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Prefix of every resource name: <release>-<chart>; the release name alone when it already holds the
chart name; the chart name alone when the release name is its prefix (release "runtime-policy" ->
"runtime-policy-operator").
*/}}
{{- define "rpo.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else if hasPrefix .Release.Name $name }}
{{- $name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "rpo.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "rpo.selectorLabels" -}}
app.kubernetes.io/name: {{ include "rpo.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "rpo.labels" -}}
helm.sh/chart: {{ include "rpo.chart" . }}
{{ include "rpo.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: runtime-policy-operator
{{- end }}

{{- define "rpo.serviceAccountName" -}}
{{- default (include "rpo.fullname" .) .Values.serviceAccount.name }}
{{- end }}

{{- define "rpo.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* The webhook's Service; the serving certificate is issued for its DNS names. */}}
{{- define "rpo.webhookServiceName" -}}
{{- include "rpo.fullname" . }}
{{- end }}

{{- define "rpo.webhookTLSSecretName" -}}
{{- printf "%s-webhook-tls" (include "rpo.fullname" .) }}
{{- end }}

{{- define "rpo.webhookCertificateName" -}}
{{- printf "%s-webhook" (include "rpo.fullname" .) }}
{{- end }}

{{- define "rpo.leaseName" -}}
{{- include "rpo.fullname" . }}
{{- end }}

{{/* DNS names of the webhook Service, as the API server resolves them. */}}
{{- define "rpo.webhookDNSNames" -}}
{{- $svc := include "rpo.webhookServiceName" . -}}
{{- list $svc (printf "%s.%s" $svc .Release.Namespace) (printf "%s.%s.svc" $svc .Release.Namespace) (printf "%s.%s.svc.cluster.local" $svc .Release.Namespace) | toJson }}
{{- end }}

{{/*
Helm-generated webhook TLS material, as YAML with tls.crt, tls.key and ca.crt (PEM, not encoded).
The Secret of a previous install is reused when it holds all three, so `helm upgrade` never
rotates the certificate under a caBundle already registered; delete the Secret to rotate.
Render it once per release (webhook.yaml) and share the result: every call generates a new CA.
*/}}
{{- define "rpo.webhookTLS" -}}
{{- $secret := lookup "v1" "Secret" .Release.Namespace (include "rpo.webhookTLSSecretName" .) }}
{{- $data := dig "data" dict ($secret | default dict) }}
{{- if and (hasKey $data "tls.crt") (hasKey $data "tls.key") (hasKey $data "ca.crt") }}
tls.crt: {{ index $data "tls.crt" | b64dec | quote }}
tls.key: {{ index $data "tls.key" | b64dec | quote }}
ca.crt: {{ index $data "ca.crt" | b64dec | quote }}
{{- else }}
{{- $ca := genCA (printf "%s-webhook-ca" (include "rpo.fullname" .)) 3650 }}
{{- $svc := printf "%s.%s.svc" (include "rpo.webhookServiceName" .) .Release.Namespace }}
{{- $cert := genSignedCert $svc nil (include "rpo.webhookDNSNames" . | fromJsonArray) 3650 $ca }}
tls.crt: {{ $cert.Cert | quote }}
tls.key: {{ $cert.Key | quote }}
ca.crt: {{ $ca.Cert | quote }}
{{- end }}
{{- end }}

{{- /*
deploymentLabelSelector (the operator's watch selector, a string) as the webhook's objectSelector,
so the API server sends the webhook exactly what the operator watches. Equality-based terms only:
key=value, key==value, key!=value, key, !key; anything else fails the install with a message.
*/}}
{{- define "rpo.objectSelector" -}}
{{- $selector := trim .Values.deploymentLabelSelector -}}
{{- $labels := dict -}}
{{- $expressions := list -}}
{{- if $selector -}}
{{- range $part := splitList "," $selector -}}
{{- $term := trim $part -}}
{{- if regexMatch "^[A-Za-z0-9./_-]+\\s*!=\\s*[A-Za-z0-9._-]*$" $term -}}
{{- $kv := regexSplit "\\s*!=\\s*" $term 2 -}}
{{- $expressions = append $expressions (dict "key" (index $kv 0) "operator" "NotIn" "values" (list (index $kv 1))) -}}
{{- else if regexMatch "^[A-Za-z0-9./_-]+\\s*==?\\s*[A-Za-z0-9._-]*$" $term -}}
{{- $kv := regexSplit "\\s*==?\\s*" $term 2 -}}
{{- $_ := set $labels (index $kv 0) (index $kv 1) -}}
{{- else if regexMatch "^![A-Za-z0-9./_-]+$" $term -}}
{{- $expressions = append $expressions (dict "key" (trimPrefix "!" $term) "operator" "DoesNotExist") -}}
{{- else if regexMatch "^[A-Za-z0-9./_-]+$" $term -}}
{{- $expressions = append $expressions (dict "key" $term "operator" "Exists") -}}
{{- else -}}
{{- fail (printf "deploymentLabelSelector: %q is not an equality-based term (key=value, key!=value, key, !key)" $term) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- $out := dict -}}
{{- if $labels -}}{{- $_ := set $out "matchLabels" $labels -}}{{- end -}}
{{- if $expressions -}}{{- $_ := set $out "matchExpressions" $expressions -}}{{- end -}}
{{- toYaml $out -}}
{{- end }}

{{/*
The default policy as one JSON document (RUNTIMEPOLICY_DEFAULT_POLICY). Helm deletes a key a user
sets to null instead of passing the null on, but a null means something in a policy
(go.memoryLimitPercent: null is "GOMEMLIMIT not managed"), and an absent field takes its CRD
default. So each field the CRD (the chart's own crds/ file) declares nullable with a default, and
that the merged values no longer have in their section, was nulled by the user: it is written as
null. Two levels (section and field), as the spec has.
*/}}
{{- define "rpo.defaultPolicy" -}}
{{- $crd := .Files.Get "crds/runtimepolicies.runtimepolicy.io-v1.yml" | fromYaml -}}
{{- $spec := (index $crd.spec.versions 0).schema.openAPIV3Schema.properties.spec.properties -}}
{{- $policy := deepCopy (.Values.defaultPolicy | default dict) -}}
{{- range $section, $schema := $spec -}}
{{- $merged := get $policy $section -}}
{{- if and (kindIs "map" $merged) $schema.properties -}}
{{- range $field, $property := $schema.properties -}}
{{- if and $property.nullable (hasKey $property "default") (not (hasKey $merged $field)) -}}
{{- $_ := set $merged $field nil -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- toJson $policy -}}
{{- end -}}
