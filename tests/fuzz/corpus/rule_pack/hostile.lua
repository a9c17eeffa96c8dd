-- Things a rule must not be able to do, each caught by the sandbox.
local ok1 = pcall(function() while true do end end)
indicator {
  id = "escape",
  evaluate = function(e)
    local results = {}
    results[#results + 1] = pcall(io.open, "/etc/passwd")
    results[#results + 1] = pcall(os.execute, "true")
    results[#results + 1] = pcall(load, "return 1")
    results[#results + 1] = pcall(string.dump, print)
    results[#results + 1] = pcall(function() x = 1 end)
    results[#results + 1] = pcall(function() return threshold.nosuch end)
    results[#results + 1] = pcall(string.rep, "x", 1 << 40)
    local t = setmetatable({}, { __index = function(t, k) return k end })
    return watch(#results, tostring(t.foo) .. tostring(e.attr.nosuch))
  end,
}
