using System.Text.Json;
using OpenList.DriverHost.Auth;

namespace OpenList.DriverHost.Config;

/// <summary>Reads and validates the <c>users</c> array.</summary>
internal static class UserRecordReader
{
    private const string HashFix = "run `driverhost hash-password` and paste its output";

    public static ValueList<UserRecord> Read(JsonObjectReader root, IssueCollector issues)
    {
        var items = root.Array("users");
        if (items is null)
        {
            return ValueList.Empty<UserRecord>();
        }

        var users = new List<UserRecord>();
        var firstIndexByName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var path = JsonPath.Index("users", i);
            if (items[i].ValueKind != JsonValueKind.Object)
            {
                issues.Error(path, $"expected an object, got {JsonPath.Describe(items[i].ValueKind)}", "write each user as { \"username\": …, \"password_hash\": … }");
                continue;
            }

            var user = ReadOne(items[i], path, issues);
            if (user.Username.Length > 0)
            {
                if (firstIndexByName.TryGetValue(user.Username, out var first))
                {
                    issues.Error($"{path}.username", $"duplicate username \"{user.Username}\" (also users[{first}])", "give each user a different username");
                }
                else
                {
                    firstIndexByName[user.Username] = i;
                }
            }

            users.Add(user);
        }

        return users.ToValueList();
    }

    private static UserRecord ReadOne(JsonElement element, string path, IssueCollector issues)
    {
        var reader = new JsonObjectReader(element, path, issues);
        var username = reader.String("username", "");
        var passwordHash = reader.String("password_hash", "");
        var permissionItems = reader.Array("permissions");
        var basePath = reader.String("base_path", "/");
        reader.WarnAboutUnknownKeys();

        if (username.Length == 0)
        {
            issues.Error(reader.PathOf("username"), "username is missing", "add \"username\": \"<name>\"");
        }
        else if (username.Contains(':') || username.Any(char.IsControl))
        {
            issues.Error(reader.PathOf("username"), "username contains ':' or a control character, which HTTP Basic authentication cannot carry", "choose a username without ':'");
        }

        if (passwordHash.Length == 0)
        {
            issues.Error(reader.PathOf("password_hash"), "password_hash is missing", HashFix);
        }
        else if (!PasswordHasher.IsWellFormed(passwordHash))
        {
            issues.Error(reader.PathOf("password_hash"), "password_hash is not a pbkdf2-sha256$<iterations>$<salt>$<hash> value", HashFix);
        }
        else if (PasswordHasher.GetIterations(passwordHash) < PasswordHasher.MinimumRecommendedIterations)
        {
            issues.Warning(reader.PathOf("password_hash"), $"password_hash uses fewer than {PasswordHasher.MinimumRecommendedIterations} iterations", HashFix);
        }

        var permissions = ReadPermissions(permissionItems, reader.PathOf("permissions"), issues);

        if (!ConfigPaths.TryNormalizeBasePath(basePath, out var normalizedBase, out var baseError))
        {
            issues.Error(reader.PathOf("base_path"), baseError, "use an absolute path inside the mount table, such as / or /local/shared");
        }

        return new UserRecord
        {
            Username = username,
            PasswordHash = passwordHash,
            Permissions = permissions,
            BasePath = normalizedBase ?? "/",
        };
    }

    private static ValueList<string> ReadPermissions(IReadOnlyList<JsonElement>? items, string path, IssueCollector issues)
    {
        if (items is null)
        {
            return [UserRecord.ReadPermission];
        }

        var permissions = new List<string>();
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = JsonPath.Index(path, i);
            var text = items[i].ValueKind == JsonValueKind.String ? items[i].GetString() : null;
            if (text is UserRecord.ReadPermission or UserRecord.WritePermission)
            {
                if (!permissions.Contains(text))
                {
                    permissions.Add(text);
                }
            }
            else
            {
                issues.Error(itemPath, text is null ? $"expected a string, got {JsonPath.Describe(items[i].ValueKind)}" : $"unknown permission \"{text}\"", "permissions are \"read\" and \"write\"");
            }
        }

        if (permissions.Count == 0 && items.Count == 0)
        {
            issues.Warning(path, "no permissions listed; the user can read", "use [\"read\"] or [\"read\", \"write\"]");
        }

        if (!permissions.Contains(UserRecord.ReadPermission))
        {
            permissions.Insert(0, UserRecord.ReadPermission);
        }

        return permissions.ToValueList();
    }
}
