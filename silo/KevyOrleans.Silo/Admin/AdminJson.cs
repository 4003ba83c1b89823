using System.Text.Json;
using System.Text.Json.Serialization;

namespace KevyOrleans.Silo.Admin;

/// <summary>Source-generated JSON for every admin response: camelCase (web defaults), no reflection.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AdminError))]
[JsonSerializable(typeof(GroupList))]
[JsonSerializable(typeof(FleetAnswer))]
[JsonSerializable(typeof(GroupDetail))]
[JsonSerializable(typeof(GroupHistory))]
[JsonSerializable(typeof(SiloList))]
[JsonSerializable(typeof(SwitchoverDone))]
[JsonSerializable(typeof(SwitchoverRequest))]
[JsonSerializable(typeof(PrimaryAddress))]
[JsonSerializable(typeof(RoleCheck))]
[JsonSerializable(typeof(PauseRequest))]
[JsonSerializable(typeof(PauseStatus))]
[JsonSerializable(typeof(GroupPutRequest))]
[JsonSerializable(typeof(GroupPutDone))]
[JsonSerializable(typeof(GroupDeleted))]
public sealed partial class AdminJson : JsonSerializerContext;
