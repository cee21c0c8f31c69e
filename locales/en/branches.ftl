# Branches: each has its own address, hours and booking rules; a doctor may work at several.
branch-title = Branches
branch-choose = Branch
branch-label = Branch
branch-any = All branches
branch-add = Add a branch
branch-add-hint = A new branch starts with the main branch's booking rules, visit types and coming public holidays; you can change them afterwards.
branch-doctor-works = Branches this doctor works at
