indicator { id = "a", evaluate = function(e) error({ code = 1 }) end }
indicator { id = "b", evaluate = function(e) error(setmetatable({}, { __tostring = function() return "boom" end })) end }
indicator { id = "c", evaluate = function(e) return concern(0/0, "nan") end }
indicator { id = "d", evaluate = function(e) return watch(-1, 3) end }
indicator { id = "e", evaluate = function(e) return { level = "catastrophic", points = 1 } end }
indicator { id = "f", evaluate = function(e) return serious(1, "x", { force = "nosuch" }) end }
indicator { id = "g", evaluate = function(e) local function r(n) return r(n + 1) + 1 end return r(1) end }
