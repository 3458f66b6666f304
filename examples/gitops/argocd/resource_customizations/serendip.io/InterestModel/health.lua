-- Argo CD health of an InterestModel, from its kstatus conditions (Ready, Reconciling, Stalled)
-- and InsufficientGPU: pods that cannot be scheduled for lack of GPUs make the model Degraded.
-- Argo CD loads each kind's script on its own, so every script carries its own helpers.
local hs = { status = "Progressing", message = "Waiting for the operator to report status" }

local function condition(conditionType)
  if obj.status == nil or obj.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == conditionType then
      return c
    end
  end
  return nil
end

local function isTrue(c)
  return c ~= nil and c.status == "True"
end

local function describe(c, fallback)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    return c.message
  end
  return fallback
end

if obj.status == nil then
  return hs
end
local generation = obj.metadata.generation
if generation ~= nil and (obj.status.observedGeneration == nil or obj.status.observedGeneration < generation) then
  hs.message = "Waiting for the operator to observe generation " .. string.format("%d", generation)
  return hs
end

local stalled = condition("Stalled")
if isTrue(stalled) then
  hs.status = "Degraded"
  hs.message = describe(stalled, "Stalled")
  return hs
end

local gpu = condition("InsufficientGPU")
if isTrue(gpu) then
  hs.status = "Degraded"
  hs.message = describe(gpu, "Not enough GPU capacity")
  return hs
end

local ready = condition("Ready")
if isTrue(ready) then
  hs.status = "Healthy"
  hs.message = describe(ready, "Ready")
  return hs
end

local reconciling = condition("Reconciling")
hs.message = describe(reconciling, describe(ready, "Not ready yet"))
return hs
