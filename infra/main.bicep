// KevyOrleans on Azure: a fleet of kevy-silo replicas in Azure mode (Azure Table clustering and
// vote storage), reached through a user-assigned managed identity. See infra/README.md.

targetScope = 'resourceGroup'

@description('Azure region for every resource; defaults to the resource group\'s.')
param location string = resourceGroup().location

@description('Prefix of every resource name (letters and digits, 3-11 characters).')
@minLength(3)
@maxLength(11)
param namePrefix string = 'kevy'

@description('The kevy-silo image, for example myregistry.azurecr.io/kevy-silo:1.0.0 (built from infra/Dockerfile).')
param image string

@description('Login server of the registry holding the image (for example myregistry.azurecr.io); empty for a public image. The managed identity pulls with AcrPull, which you grant it on the registry.')
param registryServer string = ''

@description('Number of silos. Every silo runs all of Orleans\' silo and gateway ports and one elect listener per hosted member.')
@minValue(1)
@maxValue(30)
param replicas int = 3

@description('CPU cores per silo (Container Apps pairs: 0.5 with 1Gi, 1.0 with 2Gi, ...).')
param cpu string = '0.5'

@description('Memory per silo, matching the CPU (0.5 -> 1Gi, 1.0 -> 2Gi).')
param memory string = '1Gi'

@description('The fleet file (the JSON given to kevy-silo --config): the Kevy:Groups section and any timings. Mounted as /config/fleet.json from a secret.')
@secure()
param fleetJson string

@description('Admin API key (16 characters or more): every admin request but /healthz needs it in the X-Api-Key header.')
@secure()
@minLength(16)
param adminApiKey string

@description('Expose the admin API (port 8080) outside the Container Apps environment. False keeps it reachable only inside the environment.')
param adminExternal bool = false

@description('Orleans cluster id: silos with the same id form one cluster.')
param clusterId string = 'kevy'

@description('Orleans service id: keeps grain state stable across deployments.')
param serviceId string = 'kevy'

@description('Silo failure detection: probe timeout in ms (0 = derived from the timings so a dead silo\'s members are back within the lease window; the silo refuses values that cannot be).')
@minValue(0)
param probeTimeoutMs int = 0

@description('Silo failure detection: missed probes before a silo is suspected (0 = 3, Orleans\' default).')
@minValue(0)
param missedProbesLimit int = 0

@description('Silo-to-silo TLS: the silos\' certificate, PEM (every silo presents it; it must allow server and client authentication). Empty = no TLS between silos.')
@secure()
param siloTlsCertificatePem string = ''

@description('Silo-to-silo TLS: the PEM private key of siloTlsCertificatePem.')
@secure()
param siloTlsKeyPem string = ''

@description('Silo-to-silo TLS: PEM of the CA(s) a peer silo\'s certificate must chain to. Give this and/or siloTlsAllowedThumbprints.')
param siloTlsCaPem string = ''

@description('Silo-to-silo TLS: comma-separated SHA-256 thumbprints a peer silo\'s certificate must be one of (two during a certificate rotation).')
param siloTlsAllowedThumbprints string = ''

var siloPort = 11111
var gatewayPort = 30000
var adminPort = 8080
var storageName = toLower('${namePrefix}${uniqueString(resourceGroup().id)}')
var siloTls = !empty(siloTlsCertificatePem)
var siloTlsCa = siloTls && !empty(siloTlsCaPem)
var tableServiceUri = 'https://${storage.name}.table.${environment().suffixes.storage}'
// Built-in role "Storage Table Data Contributor".
var tableDataContributor = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3')

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_ZRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    supportsHttpsTrafficOnly: true
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

// Orleans creates its tables itself when missing; creating them here makes the deployment the owner.
resource membershipTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: 'OrleansSiloInstances'
}

resource reminderTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: 'OrleansReminders'
}

resource votesTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: 'KevyVotes'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-silo-id'
  location: location
}

resource tableRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, tableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: tableDataContributor
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${namePrefix}-logs'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource containerEnv 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: '${namePrefix}-env'
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logs.properties.customerId
        sharedKey: logs.listKeys().primarySharedKey
      }
    }
  }
}

resource silo 'Microsoft.App/containerApps@2024-03-01' = {
  name: '${namePrefix}-silo'
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    managedEnvironmentId: containerEnv.id
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: adminExternal
        targetPort: adminPort
        transport: 'http'
        allowInsecure: false
      }
      registries: empty(registryServer) ? [] : [
        {
          server: registryServer
          identity: identity.id
        }
      ]
      secrets: concat([
        {
          name: 'fleet-json'
          value: fleetJson
        }
        {
          name: 'admin-api-key'
          value: adminApiKey
        }
      ], siloTls ? [
        {
          name: 'silo-tls-certificate'
          value: siloTlsCertificatePem
        }
        {
          name: 'silo-tls-key'
          value: siloTlsKeyPem
        }
      ] : [], siloTlsCa ? [
        {
          name: 'silo-tls-ca'
          value: siloTlsCaPem
        }
      ] : [])
    }
    template: {
      containers: [
        {
          name: 'kevy-silo'
          image: image
          args: [
            '--config'
            '/config/fleet.json'
          ]
          resources: {
            cpu: json(cpu)
            memory: memory
          }
          env: [
            { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
            { name: 'Kevy__Clustering__Provider', value: 'AzureTable' }
            { name: 'Kevy__Clustering__ServiceUri', value: tableServiceUri }
            { name: 'Kevy__Clustering__ClusterId', value: clusterId }
            { name: 'Kevy__Clustering__ServiceId', value: serviceId }
            { name: 'Kevy__Clustering__SiloPort', value: string(siloPort) }
            { name: 'Kevy__Clustering__GatewayPort', value: string(gatewayPort) }
            { name: 'Kevy__Clustering__ProbeTimeoutMs', value: string(probeTimeoutMs) }
            { name: 'Kevy__Clustering__MissedProbesLimit', value: string(missedProbesLimit) }
            { name: 'Kevy__Storage__Provider', value: 'AzureTable' }
            { name: 'Kevy__Storage__ServiceUri', value: tableServiceUri }
            { name: 'Kevy__Admin__Url', value: 'http://0.0.0.0:8080' } // adminPort
            { name: 'Kevy__Admin__ApiKey', secretRef: 'admin-api-key' }
            { name: 'Kevy__Gateway__BindAddress', value: '0.0.0.0' }
            // Silo-to-silo TLS (silo/README.md, "Kevy:SiloTls"): off without a certificate; the files are secrets mounted under /config.
            { name: 'Kevy__SiloTls__Enabled', value: string(siloTls) }
            { name: 'Kevy__SiloTls__CertificatePath', value: siloTls ? '/config/silo-tls.pem' : '' }
            { name: 'Kevy__SiloTls__KeyPath', value: siloTls ? '/config/silo-tls.key' : '' }
            { name: 'Kevy__SiloTls__CaPath', value: siloTlsCa ? '/config/silo-tls-ca.pem' : '' }
            { name: 'Kevy__SiloTls__AllowedThumbprints', value: siloTlsAllowedThumbprints }
          ]
          volumeMounts: [
            {
              volumeName: 'fleet'
              mountPath: '/config'
            }
          ]
          // Liveness checks only that the process answers: a storage outage must not restart every silo.
          // Readiness (silo active in the cluster, vote storage answers, every hosted member answers) takes a
          // replica out of the admin ingress until it serves. Each check is bounded at 3 s: 5 s covers the answer.
          probes: [
            {
              type: 'Liveness'
              httpGet: {
                path: '/healthz/live'
                port: adminPort
              }
              initialDelaySeconds: 10
              periodSeconds: 10
              timeoutSeconds: 5
              failureThreshold: 3
            }
            {
              type: 'Readiness'
              httpGet: {
                path: '/healthz/ready'
                port: adminPort
              }
              initialDelaySeconds: 5
              periodSeconds: 10
              timeoutSeconds: 5
              failureThreshold: 3
            }
          ]
        }
      ]
      volumes: [
        {
          name: 'fleet'
          storageType: 'Secret'
          // The fleet file, and the silo-to-silo TLS certificate, key and CA when given.
          secrets: concat([
            {
              secretRef: 'fleet-json'
              path: 'fleet.json'
            }
          ], siloTls ? [
            {
              secretRef: 'silo-tls-certificate'
              path: 'silo-tls.pem'
            }
            {
              secretRef: 'silo-tls-key'
              path: 'silo-tls.key'
            }
          ] : [], siloTlsCa ? [
            {
              secretRef: 'silo-tls-ca'
              path: 'silo-tls-ca.pem'
            }
          ] : [])
        }
      ]
      // A fixed fleet: silos are members' homes, not a load-scaled pool.
      scale: {
        minReplicas: replicas
        maxReplicas: replicas
      }
    }
  }
  dependsOn: [
    tableRole
    membershipTable
    reminderTable
    votesTable
  ]
}

@description('Name of the storage account holding the cluster membership and votes tables.')
output storageAccountName string = storage.name

@description('Table service URI the silos use (with managed identity).')
output tableServiceUri string = tableServiceUri

@description('Client id of the silos\' managed identity (grant it AcrPull on your registry).')
output identityClientId string = identity.properties.clientId

@description('Principal id of the silos\' managed identity.')
output identityPrincipalId string = identity.properties.principalId

@description('The admin API\'s host name (inside the environment unless adminExternal).')
output adminFqdn string = silo.properties.configuration.ingress.fqdn
