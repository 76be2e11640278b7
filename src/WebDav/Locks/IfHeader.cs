namespace OpenList.DriverHost.WebDav.Locks;

/// <summary>One condition of an If header list: a state token or an entity tag, possibly negated.</summary>
public sealed record IfCondition(bool Not, string? StateToken, string? ETag);

/// <summary>One parenthesised list, tagged with a resource (absolute URL or path) or untagged (the request URI).</summary>
public sealed record IfList(string? ResourceTag, IReadOnlyList<IfCondition> Conditions);

/// <summary>RFC 4918 §10.4 If header parser.</summary>
public static class IfHeader
{
    /// <summary>Parses the header; false when it is malformed.</summary>
    public static bool TryParse(string value, out List<IfList> lists)
    {
        lists = [];
        string? tag = null;
        var i = 0;
        while (true)
        {
            SkipSpaces(value, ref i);
            if (i >= value.Length)
            {
                return lists.Count > 0;
            }

            var c = value[i];
            if (c == '<')
            {
                if (!TryReadUntil(value, ref i, '>', out tag))
                {
                    return false;
                }
            }
            else if (c == '(')
            {
                i++;
                var conditions = new List<IfCondition>();
                while (true)
                {
                    SkipSpaces(value, ref i);
                    if (i >= value.Length)
                    {
                        return false;
                    }

                    if (value[i] == ')')
                    {
                        i++;
                        break;
                    }

                    var not = false;
                    if (string.Compare(value, i, "Not", 0, 3, StringComparison.OrdinalIgnoreCase) == 0)
                    {
                        not = true;
                        i += 3;
                        SkipSpaces(value, ref i);
                    }

                    if (i >= value.Length)
                    {
                        return false;
                    }

                    if (value[i] == '<')
                    {
                        if (!TryReadUntil(value, ref i, '>', out var token))
                        {
                            return false;
                        }

                        conditions.Add(new IfCondition(not, token, null));
                    }
                    else if (value[i] == '[')
                    {
                        if (!TryReadUntil(value, ref i, ']', out var etag))
                        {
                            return false;
                        }

                        conditions.Add(new IfCondition(not, null, etag));
                    }
                    else
                    {
                        return false;
                    }
                }

                if (conditions.Count == 0)
                {
                    return false;
                }

                lists.Add(new IfList(tag, conditions));
            }
            else
            {
                return false;
            }
        }
    }

    private static void SkipSpaces(string s, ref int i)
    {
        while (i < s.Length && (s[i] == ' ' || s[i] == '\t'))
        {
            i++;
        }
    }

    private static bool TryReadUntil(string s, ref int i, char end, out string content)
    {
        var close = s.IndexOf(end, i + 1);
        if (close < 0)
        {
            content = string.Empty;
            return false;
        }

        content = s[(i + 1)..close];
        i = close + 1;
        return true;
    }
}
