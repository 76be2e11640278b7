namespace OpenList.DriverHost.CloudFakes.Aliyun;

/// <summary>Name rules for create, update and move.</summary>
internal static class AliyunNames
{
    private const int MaxLength = 1024;

    public static string Validate(string name, string field = "name") =>
        name.Length > MaxLength || name.Contains('/', StringComparison.Ordinal) || name is "." or ".."
            ? throw AliyunErrors.Invalid(field, "is not a valid file name")
            : name;

    /// <summary>check_name_mode: "ignore" (duplicates allowed), "refuse" (conflict) or "auto_rename" ("a(1).txt").</summary>
    public static string Mode(AliyunCall call, string fallback)
    {
        var mode = call.Body.OptionalString("check_name_mode") ?? fallback;
        return mode is "ignore" or "refuse" or "auto_rename"
            ? mode
            : throw AliyunErrors.Invalid("check_name_mode", "must be ignore, refuse or auto_rename");
    }
}
