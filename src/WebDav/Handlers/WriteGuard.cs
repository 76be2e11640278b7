using Microsoft.AspNetCore.Http;
using OpenList.DriverHost.WebDav.Locks;
using OpenList.DriverHost.WebDav.Store;

namespace OpenList.DriverHost.WebDav.Handlers;

/// <summary>What a write touches, for lock checks.</summary>
/// <param name="Path">The resource written.</param>
/// <param name="Subtree">True when everything below it is affected too (DELETE or MOVE of a collection, overwrite).</param>
/// <param name="ChangesParentMembership">True when a member is added to or removed from the parent collection.</param>
internal readonly record struct WriteTarget(DavPath Path, bool Subtree, bool ChangesParentMembership);

/// <summary>
/// Evaluates the If header (RFC 4918 §10.4; false → 412) and then requires a submitted lock token for every lock
/// protecting what the write touches (missing → 423 with <c>lock-token-submitted</c>).
/// </summary>
internal static class WriteGuard
{
    public static async Task CheckAsync(DavRequest request, params WriteTarget[] targets)
    {
        var submitted = await EvaluateIfHeaderAsync(request).ConfigureAwait(false);
        var unsatisfied = new List<DavPath>();
        foreach (var target in targets)
        {
            var applicable = new List<DavLock>(request.Locks.Covering(target.Path));
            if (target.Subtree)
            {
                applicable.AddRange(request.Locks.RootedAtOrBelow(target.Path));
            }

            if (target.ChangesParentMembership && !target.Path.IsRoot)
            {
                applicable.AddRange(request.Locks.Covering(target.Path.Parent));
            }

            // Shared locks on one root: any one of their tokens will do; each distinct root needs one.
            foreach (var group in applicable.DistinctBy(l => l.Token).GroupBy(l => l.Root))
            {
                if (!group.Any(l => submitted.Contains(l.Token)))
                {
                    unsatisfied.Add(group.Key);
                }
            }
        }

        if (unsatisfied.Count > 0)
        {
            throw new DavException(StatusCodes.Status423Locked, "the resource is locked and no matching lock token was submitted", "lock-token-submitted")
            {
                Hrefs = unsatisfied.Distinct().Select(p => request.Href(p, isCollection: false)).ToList(),
            };
        }
    }

    /// <summary>Returns the state tokens named in the If header; throws 412 when the header evaluates false.</summary>
    public static async Task<HashSet<string>> EvaluateIfHeaderAsync(DavRequest request)
    {
        var tokens = new HashSet<string>(StringComparer.Ordinal);
        var header = request.Header("If");
        if (header.Length == 0)
        {
            return tokens;
        }

        if (!IfHeader.TryParse(header, out var lists))
        {
            throw new DavException(StatusCodes.Status400BadRequest, "malformed If header");
        }

        var etags = new Dictionary<DavPath, string?>();
        var anyEvaluated = false;
        var anyTrue = false;
        foreach (var list in lists)
        {
            foreach (var c in list.Conditions.Where(c => c.StateToken is not null && !c.Not))
            {
                tokens.Add(c.StateToken!);
            }

            DavPath resource;
            if (list.ResourceTag is null)
            {
                resource = request.Path;
            }
            else
            {
                var resolved = request.ResolveUrl(list.ResourceTag, out _);
                if (resolved is null)
                {
                    continue; // a list for another server or outside this space does not apply here
                }

                resource = resolved.Value;
            }

            anyEvaluated = true;
            if (!anyTrue && await ListIsTrueAsync(request, list, resource, etags).ConfigureAwait(false))
            {
                anyTrue = true;
            }
        }

        if (anyEvaluated && !anyTrue)
        {
            throw new DavException(StatusCodes.Status412PreconditionFailed, "the If header's conditions are not met");
        }

        return tokens;
    }

    private static async Task<bool> ListIsTrueAsync(DavRequest request, IfList list, DavPath resource, Dictionary<DavPath, string?> etags)
    {
        foreach (var condition in list.Conditions)
        {
            bool matches;
            if (condition.StateToken is not null)
            {
                matches = request.Locks.Find(condition.StateToken) is { } l && l.Covers(resource);
            }
            else
            {
                if (!etags.TryGetValue(resource, out var current))
                {
                    current = (await request.Store.GetItemAsync(resource, request.Aborted).ConfigureAwait(false))?.ETag;
                    etags[resource] = current;
                }

                matches = current is not null && WeakEquals(current, condition.ETag!);
            }

            if (matches == condition.Not)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Weak comparison (RFC 9110 §8.8.3.2): opaque tags equal, W/ ignored.</summary>
    public static bool WeakEquals(string a, string b) => string.Equals(StripWeak(a), StripWeak(b), StringComparison.Ordinal);

    private static string StripWeak(string tag) => tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag;
}
